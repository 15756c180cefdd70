/**
 * The pod settings (`dify.pods` and each component's): what Kubernetes' own types say of them (kubernetes-types.ts:
 * the OpenAPI schema and the type's fields) and the rules the API server adds (pod-rules.ts), checked here so synth
 * refuses a setting in one line instead of the API server at apply time, or a setting it would silently drop.
 */
import { z } from 'zod';
import { DNS_1123_LABEL, isQualifiedName } from './grammar';
import { dnsSubdomain, section, withinMetadataLimits } from './schema-parts';
import { KubernetesTypeName, kubernetesTypeProblems, TypeProblem } from './kubernetes-types';
import { affinityProblems, LABEL_VALUE, mountProblems, spreadProblems } from './pod-rules';

/**
 * The labels the platform writes on its objects and pods (the selectors use name and component; KubeBlocks and helm
 * the others): a user's value for one would be overwritten, so it is refused instead of dropped without a word.
 */
export const PLATFORM_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/component', 'app.kubernetes.io/instance',
  'app.kubernetes.io/managed-by', 'app.kubernetes.io/part-of', 'app.kubernetes.io/version', 'helm.sh/chart'];

type Json = Record<string, unknown>;

const mapping = (what: string) => z.record(z.string(), z.unknown(), { error: `must be a mapping (${what})` });

/** The value at a path under a checked value, for an error line. */
function inputAt(value: unknown, path: readonly (string | number)[]): unknown {
  return path.reduce<unknown>((node, key) => (node !== null && typeof node === 'object' ? (node as Json)[key as string] : undefined), value);
}

/** Adds each problem as an issue of the value being checked. */
function report(problems: readonly TypeProblem[], value: unknown, ctx: z.RefinementCtx): void {
  for (const problem of problems) ctx.addIssue({ code: 'custom', path: problem.path, input: inputAt(value, problem.path), message: problem.message });
}

/**
 * A mapping that must be a Kubernetes `type` (kubernetes-types.ts) and keep the API server's `rules`, checked once
 * the type is right.
 */
function kubernetes(type: KubernetesTypeName, what: string, rules: (value: Json) => TypeProblem[] = () => []) {
  return mapping(what).superRefine((value, ctx) => {
    const problems = kubernetesTypeProblems(value, type);
    report(problems.length > 0 ? problems : rules(value), value, ctx);
  });
}

const qualifiedKey = z.string().refine(isQualifiedName, { error: 'must be a key such as example.com/name (a DNS prefix, "/", and a name of at most 63 characters)' });

/** Labels as Kubernetes takes them: qualified keys, label values. */
export const labelMap = z.record(qualifiedKey, z.string({ error: 'must be a string (quote it in YAML)' })
  .max(63, { error: 'must be a label value of at most 63 characters' })
  .regex(LABEL_VALUE, { error: 'must be a label value: letters, digits, "-", "_" and ".", starting and ending with a letter or digit' }),
{ error: 'must be a mapping of label keys to values' }).superRefine(withinMetadataLimits('labels'));

/** Labels a user adds to the platform's objects or pods: none the platform writes itself. */
export const userLabelMap = labelMap.superRefine((labels, ctx) => {
  for (const key of PLATFORM_LABELS.filter((label) => label in labels)) {
    ctx.addIssue({ code: 'custom', path: [key], input: labels[key], message: 'is a label the platform sets (its selectors, KubeBlocks and helm read it); choose another key' });
  }
});

const annotationMap = z.record(qualifiedKey, z.string({ error: 'must be a string (quote it in YAML)' }), { error: 'must be a mapping of annotation keys to strings' })
  .superRefine(withinMetadataLimits('annotations'));

const toleration = section({
  key: qualifiedKey.optional(),
  operator: z.enum(['Exists', 'Equal'], { error: 'must be one of Exists, Equal' }).optional(),
  value: z.string({ error: 'must be a string (quote it in YAML)' }).optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'], { error: 'must be one of NoSchedule, PreferNoSchedule, NoExecute' }).optional(),
  tolerationSeconds: z.number({ error: 'must be a whole number of seconds' }).int({ error: 'must be a whole number of seconds' }).optional(),
}).superRefine((entry, ctx) => {
  if (entry.operator === 'Exists' && entry.value) {
    ctx.addIssue({ code: 'custom', path: ['value'], input: entry.value, message: 'must be empty with operator Exists (it matches any value)' });
  }
  if (!entry.key && entry.operator !== 'Exists') {
    ctx.addIssue({ code: 'custom', path: ['operator'], input: entry.operator, message: 'must be Exists when the key is empty (tolerate every taint)' });
  }
  if (entry.tolerationSeconds !== undefined && entry.effect !== 'NoExecute') {
    ctx.addIssue({ code: 'custom', path: ['tolerationSeconds'], input: entry.tolerationSeconds, message: 'is only for effect NoExecute' });
  }
});

const spreadConstraint = section({
  maxSkew: z.number({ error: 'must be a whole number of at least 1' }).int({ error: 'must be a whole number of at least 1' }).min(1, { error: 'must be a whole number of at least 1' }),
  topologyKey: qualifiedKey,
  whenUnsatisfiable: z.enum(['DoNotSchedule', 'ScheduleAnyway'], { error: 'must be one of DoNotSchedule, ScheduleAnyway' }),
  labelSelector: mapping('a label selector').optional(),
  minDomains: z.number({ error: 'must be a whole number of at least 1' }).int({ error: 'must be a whole number of at least 1' }).min(1, { error: 'must be a whole number of at least 1' }).optional(),
  matchLabelKeys: z.array(z.string({ error: 'must be a label key' }), { error: 'must be a list of label keys' }).optional(),
  nodeAffinityPolicy: z.enum(['Honor', 'Ignore'], { error: 'must be one of Honor, Ignore' }).optional(),
  nodeTaintsPolicy: z.enum(['Honor', 'Ignore'], { error: 'must be one of Honor, Ignore' }).optional(),
}).superRefine((constraint, ctx) => {
  const problems = kubernetesTypeProblems(constraint, 'TopologySpreadConstraint');
  report(problems.length > 0 ? problems : spreadProblems(constraint), constraint, ctx);
});

const volume = kubernetes('Volume', 'a pod volume: a name and one source', (entry) => {
  const problems: TypeProblem[] = [];
  if (typeof entry.name !== 'string' || !DNS_1123_LABEL.test(entry.name) || entry.name.length > 63) {
    problems.push({ path: ['name'], message: 'must be a volume name: lowercase letters, digits and "-"' });
  }
  if (Object.keys(entry).filter((key) => key !== 'name').length !== 1) {
    problems.push({ path: [], message: 'must have a name and exactly one source (configMap, secret, emptyDir, persistentVolumeClaim...)' });
  }
  // As the chart tier's policy (chart-policy.ts): no Dify pod holds a Kubernetes API token. A cloud identity's
  // webhook projects its own at admission (docs/security.md), so none is needed in the config.
  const sources: unknown[] = Array.isArray((entry.projected as Json | undefined)?.sources) ? (entry.projected as Json).sources as unknown[] : [];
  sources.forEach((source, index) => {
    if (source !== null && typeof source === 'object' && 'serviceAccountToken' in source) {
      problems.push({ path: ['projected', 'sources', index, 'serviceAccountToken'],
        message: 'would put a service account token in the pods, which the platform keeps from every Dify pod (a cloud identity\'s webhook adds its own: serviceAccount)' });
    }
  });
  return problems;
});

const volumeMount = kubernetes('VolumeMount', 'a volume mount: name, mountPath', mountProblems);

/** Where a data-tier component's pods may run (`scheduling` of a cluster and of Redis's sentinels). */
export const schedulingShape = {
  nodeSelector: labelMap.optional(),
  tolerations: z.array(toleration, { error: 'must be a list of tolerations' }).optional(),
  affinity: kubernetes('Affinity', 'nodeAffinity, podAffinity, podAntiAffinity', affinityProblems).optional(),
  topologySpreadConstraints: z.array(spreadConstraint, { error: 'must be a list of topology spread constraints' }).superRefine((constraints, ctx) => {
    // The API server refuses two constraints of one topologyKey and whenUnsatisfiable (a Duplicate value), and the
    // whole Deployment with them: said here, once per repeat.
    const first = new Map<string, number>();
    constraints.forEach((constraint, index) => {
      const pair = `${constraint.topologyKey}\n${constraint.whenUnsatisfiable}`;
      const earlier = first.get(pair);
      if (earlier === undefined) first.set(pair, index);
      else ctx.addIssue({ code: 'custom', path: [index, 'topologyKey'], input: constraint.topologyKey,
        message: `repeats the topologyKey and whenUnsatisfiable of constraint ${earlier}, which Kubernetes refuses: keep one` });
    });
  }).optional(),
};

/** The keys of every pod-settings section, shared by `dify.pods` and each component. */
export const podSettingsShape = {
  ...schedulingShape,
  priorityClassName: dnsSubdomain('PriorityClass name').optional(),
  annotations: annotationMap.optional(),
  labels: userLabelMap.optional(),
  securityContext: kubernetes('PodSecurityContext', 'a pod security context').optional(),
  containerSecurityContext: kubernetes('SecurityContext', 'a container security context').optional(),
  extraVolumes: z.array(volume, { error: 'must be a list of volumes' }).optional(),
  extraVolumeMounts: z.array(volumeMount, { error: 'must be a list of volume mounts' }).optional(),
};
