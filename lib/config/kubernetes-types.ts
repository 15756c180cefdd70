/**
 * Settings written "as in a pod spec" (affinity, tolerations, security contexts, volumes, mounts) checked against
 * Kubernetes' own definition of their type, twice over:
 * - the OpenAPI schema of the type, through the validators kubernetes-models compiles from it (types, enums,
 *   required fields, formats), so a string where a pod affinity term belongs is refused instead of written as `{}`;
 * - the type's fields as the generated Kubernetes classes of lib/k8s.ts know them (generated from the 1.28 schema):
 *   the class's JSON conversion is run on a recording copy of the value, and every key it never reads is a field
 *   Kubernetes does not have, which the API server would drop without a word (or, with strict field validation,
 *   refuse).
 */
import { Affinity } from 'kubernetes-models/v1/Affinity';
import { PodSecurityContext } from 'kubernetes-models/v1/PodSecurityContext';
import { SecurityContext } from 'kubernetes-models/v1/SecurityContext';
import { Toleration } from 'kubernetes-models/v1/Toleration';
import { TopologySpreadConstraint } from 'kubernetes-models/v1/TopologySpreadConstraint';
import { Volume } from 'kubernetes-models/v1/Volume';
import { VolumeMount } from 'kubernetes-models/v1/VolumeMount';
import * as k8s from '../k8s';

/** A problem at a path under the checked value. */
export interface TypeProblem {
  readonly path: (string | number)[];
  readonly message: string;
}

interface KubernetesType {
  /** kubernetes-models' class of the type, whose validate() checks a value against the type's OpenAPI schema. */
  readonly Model: new (data: never) => { validate(): void };
  /** The generated class's JSON conversion, which reads exactly the fields the type has. */
  readonly toJson: (value: never) => unknown;
}

/** The pod-spec types a config may hold, by the name an error line gives them. */
export const KUBERNETES_TYPES = {
  Affinity: { Model: Affinity, toJson: k8s.toJson_Affinity },
  PodSecurityContext: { Model: PodSecurityContext, toJson: k8s.toJson_PodSecurityContext },
  SecurityContext: { Model: SecurityContext, toJson: k8s.toJson_SecurityContext },
  Toleration: { Model: Toleration, toJson: k8s.toJson_Toleration },
  TopologySpreadConstraint: { Model: TopologySpreadConstraint, toJson: k8s.toJson_TopologySpreadConstraint },
  Volume: { Model: Volume, toJson: k8s.toJson_Volume },
  VolumeMount: { Model: VolumeMount, toJson: k8s.toJson_VolumeMount },
} satisfies Record<string, KubernetesType>;

export type KubernetesTypeName = keyof typeof KUBERNETES_TYPES;

/** Every way a value is not a `type` as Kubernetes defines it; empty when it is one. */
export function kubernetesTypeProblems(value: unknown, type: KubernetesTypeName): TypeProblem[] {
  const { Model, toJson } = KUBERNETES_TYPES[type] as KubernetesType;
  const schemaProblems = validateWith(Model, value, type);
  // Unknown fields are only looked for once the shape is right: the conversion expects the schema's types.
  return schemaProblems.length > 0 ? schemaProblems : unknownFields(value, toJson, type);
}

interface AjvError { instancePath: string; message?: string; params?: Record<string, unknown> }

function validateWith(Model: KubernetesType['Model'], value: unknown, type: string): TypeProblem[] {
  try {
    new Model(value as never).validate();
    return [];
  } catch (error) {
    const errors: AjvError[] = (error as { errors?: AjvError[] }).errors ?? [{ instancePath: '', message: (error as Error).message }];
    return errors.map((problem) => ({
      path: problem.instancePath.split('/').filter(Boolean).map((part) => (/^\d+$/.test(part) ? Number(part) : part)),
      message: `${describeAjv(problem)} (Kubernetes' ${type})`,
    }));
  }
}

function describeAjv(problem: AjvError): string {
  const allowed = problem.params?.allowedValues;
  if (Array.isArray(allowed)) return `must be one of ${allowed.join(', ')}`;
  if (problem.params?.missingProperty) return `needs ${String(problem.params.missingProperty)}`;
  return problem.message ?? 'is not valid';
}

/** The keys of `value` the type's conversion never reads, as paths; a map it enumerates holds keys of its own. */
function unknownFields(value: unknown, toJson: KubernetesType['toJson'], type: string): TypeProblem[] {
  const read = new WeakMap<object, Set<PropertyKey> | 'all'>();
  const record = (node: unknown): unknown => {
    if (node === null || typeof node !== 'object') return node;
    if (!read.has(node)) read.set(node, new Set());
    return new Proxy(node, {
      get(target, key, receiver) {
        const keys = read.get(target);
        if (keys !== 'all') keys!.add(key);
        return record(Reflect.get(target, key, receiver));
      },
      ownKeys(target) {
        read.set(target, 'all');
        return Reflect.ownKeys(target);
      },
    });
  };
  toJson(record(value) as never);
  const problems: TypeProblem[] = [];
  const walk = (node: unknown, path: (string | number)[]) => {
    if (node === null || typeof node !== 'object') return;
    const keys = read.get(node);
    if (Array.isArray(node)) {
      node.forEach((item, index) => walk(item, [...path, index]));
      return;
    }
    for (const [key, child] of Object.entries(node)) {
      if (keys !== 'all' && !keys?.has(key)) problems.push({ path: [...path, key], message: `is not a field of Kubernetes' ${type} here` });
      else walk(child, [...path, key]);
    }
  };
  walk(value, []);
  return problems;
}
