/**
 * Rules the API server applies to pod-spec settings that their OpenAPI schema does not carry (kubernetes-types.ts
 * checks the schema): label selectors' grammar and operators, what a topology spread constraint may combine, where a
 * volume mount may point. Each returns the problems at paths under the checked value.
 */
import { isQualifiedName } from './grammar';
import { TypeProblem } from './kubernetes-types';

/** A label value: at most 63 characters, alphanumeric at both ends (or empty). */
export const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

type Json = Record<string, any>;
type Path = (string | number)[];

export function labelValueProblem(value: unknown): string | undefined {
  if (typeof value !== 'string') return 'must be a string (quote it in YAML)';
  if (value.length > 63 || !LABEL_VALUE.test(value)) {
    return 'must be a label value: at most 63 letters, digits, "-", "_" and ".", starting and ending with a letter or digit';
  }
  return undefined;
}

const KEY_PROBLEM = 'must be a label key such as example.com/name (a DNS prefix, "/", and a name of at most 63 characters)';

/** A label selector (`matchLabels`, `matchExpressions` of In, NotIn, Exists, DoesNotExist). */
export function labelSelectorProblems(selector: Json | undefined, at: Path): TypeProblem[] {
  if (!selector) return [];
  const problems: TypeProblem[] = [];
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    if (!isQualifiedName(key)) problems.push({ path: [...at, 'matchLabels', key], message: KEY_PROBLEM });
    const valueProblem = labelValueProblem(value);
    if (valueProblem) problems.push({ path: [...at, 'matchLabels', key], message: valueProblem });
  }
  (selector.matchExpressions ?? []).forEach((expression: Json, index: number) => {
    problems.push(...requirementProblems(expression, [...at, 'matchExpressions', index], ['In', 'NotIn', 'Exists', 'DoesNotExist'], true));
  });
  return problems;
}

/** A selector requirement: In and NotIn need values, Exists and DoesNotExist none, Gt and Lt one whole number. */
function requirementProblems(requirement: Json, at: Path, operators: readonly string[], labelValues: boolean): TypeProblem[] {
  const problems: TypeProblem[] = [];
  const values: unknown[] = requirement.values ?? [];
  if (labelValues && !isQualifiedName(String(requirement.key))) problems.push({ path: [...at, 'key'], message: KEY_PROBLEM });
  if (!operators.includes(requirement.operator)) {
    return [...problems, { path: [...at, 'operator'], message: `must be one of ${operators.join(', ')}` }];
  }
  if (/^(In|NotIn)$/.test(requirement.operator) && values.length === 0) problems.push({ path: [...at, 'values'], message: `must not be empty with operator ${requirement.operator}` });
  if (/^(Exists|DoesNotExist)$/.test(requirement.operator) && values.length > 0) problems.push({ path: [...at, 'values'], message: `must be empty with operator ${requirement.operator}` });
  if (/^(Gt|Lt)$/.test(requirement.operator) && (values.length !== 1 || !/^-?\d+$/.test(String(values[0])))) {
    problems.push({ path: [...at, 'values'], message: `must be one whole number with operator ${requirement.operator}` });
  }
  if (labelValues) {
    values.forEach((value, index) => {
      const problem = labelValueProblem(value);
      if (problem) problems.push({ path: [...at, 'values', index], message: problem });
    });
  }
  return problems;
}

const NODE_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist', 'Gt', 'Lt'];

/** Node affinity terms, pod (anti-)affinity terms: their selectors and topology keys. */
export function affinityProblems(affinity: Json): TypeProblem[] {
  const problems: TypeProblem[] = [];
  const node = affinity.nodeAffinity ?? {};
  const nodeTerms: [Json, Path][] = [
    ...(node.requiredDuringSchedulingIgnoredDuringExecution?.nodeSelectorTerms ?? [])
      .map((term: Json, index: number): [Json, Path] => [term, ['nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution', 'nodeSelectorTerms', index]]),
    ...(node.preferredDuringSchedulingIgnoredDuringExecution ?? [])
      .map((term: Json, index: number): [Json, Path] => [term.preference ?? {}, ['nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution', index, 'preference']]),
  ];
  for (const [term, at] of nodeTerms) {
    (term.matchExpressions ?? []).forEach((requirement: Json, index: number) =>
      problems.push(...requirementProblems(requirement, [...at, 'matchExpressions', index], NODE_OPERATORS, false)));
  }
  for (const kind of ['podAffinity', 'podAntiAffinity']) {
    const pod = affinity[kind] ?? {};
    const terms: [Json, Path][] = [
      ...(pod.requiredDuringSchedulingIgnoredDuringExecution ?? [])
        .map((term: Json, index: number): [Json, Path] => [term, [kind, 'requiredDuringSchedulingIgnoredDuringExecution', index]]),
      ...(pod.preferredDuringSchedulingIgnoredDuringExecution ?? [])
        .map((term: Json, index: number): [Json, Path] => [term.podAffinityTerm ?? {}, [kind, 'preferredDuringSchedulingIgnoredDuringExecution', index, 'podAffinityTerm']]),
    ];
    for (const [term, at] of terms) {
      if (!isQualifiedName(String(term.topologyKey ?? ''))) problems.push({ path: [...at, 'topologyKey'], message: KEY_PROBLEM });
      problems.push(...labelSelectorProblems(term.labelSelector, [...at, 'labelSelector']));
      problems.push(...labelSelectorProblems(term.namespaceSelector, [...at, 'namespaceSelector']));
    }
  }
  return problems;
}

/** A topology spread constraint: minDomains only where the scheduler may refuse to schedule, keys that are label keys. */
export function spreadProblems(constraint: Json): TypeProblem[] {
  const problems: TypeProblem[] = [];
  if (constraint.minDomains !== undefined && constraint.whenUnsatisfiable !== 'DoNotSchedule') {
    problems.push({ path: ['minDomains'], message: 'is only allowed with whenUnsatisfiable: DoNotSchedule' });
  }
  const selected = new Set(Object.keys(constraint.labelSelector?.matchLabels ?? {}));
  (constraint.matchLabelKeys ?? []).forEach((key: string, index: number) => {
    if (!isQualifiedName(String(key))) problems.push({ path: ['matchLabelKeys', index], message: KEY_PROBLEM });
    else if (selected.has(key)) problems.push({ path: ['matchLabelKeys', index], message: 'must not be a key the labelSelector already matches' });
  });
  problems.push(...labelSelectorProblems(constraint.labelSelector, ['labelSelector']));
  return problems;
}

/** A volume mount: an absolute path without ":", a subPath that stays inside the volume. */
export function mountProblems(mount: Json): TypeProblem[] {
  const problems: TypeProblem[] = [];
  if (typeof mount.mountPath === 'string' && !/^\/[^:]*$/.test(mount.mountPath)) {
    problems.push({ path: ['mountPath'], message: 'must be an absolute path without ":"' });
  }
  for (const field of ['subPath', 'subPathExpr']) {
    const sub = mount[field];
    if (typeof sub === 'string' && (sub.startsWith('/') || sub.split('/').includes('..'))) {
      problems.push({ path: [field], message: 'must be a path inside the volume: relative, without ".."' });
    }
  }
  return problems;
}
