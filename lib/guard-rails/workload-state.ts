/**
 * The fields of a platform's workloads and claims that the API server never lets change on a live object: a
 * Deployment's, StatefulSet's or DaemonSet's `spec.selector`, a StatefulSet's `serviceName`, `podManagementPolicy`
 * and claim templates (their size too: a StatefulSet's template cannot grow either), and a claim's storage class and
 * access modes.
 * A new value there is a `field is immutable` error half-way through an apply: the object has to be deleted and made
 * again, which the guard rail `workloadReplaced` says before anything is applied.
 */
import type { ObjectLike } from './platform-state';

/** One object's immutable fields, each as canonical JSON so that key order never counts as a change. */
export interface ImmutableFields {
  readonly kind: string;
  readonly name: string;
  readonly namespace?: string;
  /** Whether a community chart wrote it (the setting to name is then `dify.chart`). */
  readonly fromChart: boolean;
  /** Field path to its value, as JSON. */
  readonly fields: Readonly<Record<string, string>>;
  /** A StatefulSet's claims, `<template>-<name>-<ordinal>` with the size its template asks. */
  readonly claims?: readonly { readonly name: string; readonly size?: string }[];
}

/** JSON with object keys sorted, so that `{a, b}` and `{b, a}` compare equal. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** A claim template as the StatefulSet keeps it: its name and spec, size included (a template cannot grow either). */
function claimTemplateShape(template: any): unknown {
  return { name: template?.metadata?.name, spec: template?.spec };
}

/** The immutable fields each kind has, read from its spec (an absent field is left out, not compared as null). */
const FIELDS: Readonly<Record<string, (spec: any) => Record<string, unknown>>> = {
  Deployment: (spec) => ({ 'spec.selector': spec.selector }),
  DaemonSet: (spec) => ({ 'spec.selector': spec.selector }),
  StatefulSet: (spec) => ({
    'spec.selector': spec.selector, 'spec.serviceName': spec.serviceName, 'spec.podManagementPolicy': spec.podManagementPolicy,
    'spec.volumeClaimTemplates': spec.volumeClaimTemplates?.map(claimTemplateShape),
  }),
  PersistentVolumeClaim: (spec) => ({ 'spec.storageClassName': spec.storageClassName, 'spec.accessModes': spec.accessModes }),
};

/** The claims a StatefulSet's controller makes: one per template and ordinal, named `<template>-<set>-<ordinal>`. */
function claimsOf(name: string, spec: any): { name: string; size?: string }[] {
  const ordinals = Array.from({ length: spec.replicas ?? 1 }, (_, index) => index + (spec.ordinals?.start ?? 0));
  return (spec.volumeClaimTemplates ?? []).flatMap((template: any) => ordinals.map((ordinal) => ({
    name: `${template?.metadata?.name}-${name}-${ordinal}`, size: template?.spec?.resources?.requests?.storage,
  })));
}

/** Every object of a kind with immutable fields, by `Kind namespace/name`. */
export function immutableFieldsOf(objects: readonly ObjectLike[]): Record<string, ImmutableFields> {
  const found: Record<string, ImmutableFields> = {};
  for (const object of objects) {
    const read = object.kind ? FIELDS[object.kind] : undefined;
    const name = object.metadata?.name;
    if (!read || !name) continue;
    const fields = Object.fromEntries(Object.entries(read(object.spec ?? {})).filter(([, value]) => value !== undefined)
      .map(([path, value]) => [path, canonical(value)]));
    found[`${object.kind} ${object.metadata?.namespace ?? ''}/${name}`] = {
      kind: object.kind!, name, namespace: object.metadata?.namespace, fromChart: object.metadata?.labels?.['helm.sh/chart'] !== undefined, fields,
      ...(object.kind === 'StatefulSet' ? { claims: claimsOf(name, object.spec ?? {}) } : {}),
    };
  }
  return found;
}

/** The objects present in both whose immutable fields differ, with the first field that does. */
export function changedImmutableFields(previous: Readonly<Record<string, ImmutableFields>>, next: Readonly<Record<string, ImmutableFields>>):
  { readonly before: ImmutableFields; readonly after: ImmutableFields; readonly field: string }[] {
  return Object.entries(next).flatMap(([key, after]) => {
    const before = previous[key];
    if (!before) return [];
    const field = Object.keys({ ...before.fields, ...after.fields }).find((path) => before.fields[path] !== after.fields[path]);
    return field ? [{ before, after, field }] : [];
  });
}
