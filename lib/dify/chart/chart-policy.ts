/**
 * What a community Dify chart may render. A chart is third-party code: its output is admitted only when each object
 * is something a Dify install needs, in the platform's namespace, holding no credential and asking for no more of the
 * node or the cluster than the Pod Security "restricted" profile allows. Everything else is refused in one line naming
 * the object and the rule, before any object is hardened (harden.ts) or written.
 */
import { isCredentialName } from '../wiring/wired-env';
import { valueAt } from './chart-values';
import { describeObject, podTemplateOf } from './harden';
import { parse } from 'yaml';
import { SYSTEM_NAMESPACES } from '../../config/grammar';

type Json = Record<string, any>;

export interface ChartPolicy {
  /** The platform's namespace: the only one a chart's objects may name. */
  readonly namespace: string;
  /**
   * The Service types the user's chart values ask for, by the `app.kubernetes.io/component` a Service selects
   * (`api.service.type: NodePort` in the values allows a NodePort Service for the api). ClusterIP is always allowed.
   */
  readonly serviceTypes: Readonly<Record<string, string>>;
}

/** The douban charts' component values and the `app.kubernetes.io/component` label their Services select. */
const SERVED_COMPONENTS: Readonly<Record<string, string>> = { api: 'api', frontend: 'frontend', sandbox: 'sandbox', pluginDaemon: 'plugin-daemon' };

/** The policy for a render in the platform's namespace with the user's `dify.chart.values`. */
export function chartPolicyFor(namespace: string, userValues: Readonly<Record<string, unknown>>): ChartPolicy {
  const serviceTypes = Object.entries(SERVED_COMPONENTS).flatMap(([key, component]) => {
    const type = valueAt(userValues, `${key}.service.type`);
    return typeof type === 'string' ? [[component, type] as const] : [];
  });
  return { namespace, serviceTypes: Object.fromEntries(serviceTypes) };
}

/** What a chart may render, for the refusal line. */
const ADMITTED = 'Deployments, StatefulSets, Jobs, CronJobs, Services, ConfigMaps, empty Secrets, PVCs, ServiceAccounts, '
  + 'PodDisruptionBudgets, HorizontalPodAutoscalers, Ingresses, HTTPRoutes, BackendTrafficPolicies, read-only Roles and their RoleBindings';

/** Admitted kinds by `group/kind` (the core group is empty), each with the checks of its own fields. */
const ADMITTED_KINDS: ReadonlyMap<string, (object: Json, policy: ChartPolicy, all: readonly Json[]) => string[]> = new Map([
  ['apps/Deployment', podTemplateProblems],
  ['apps/StatefulSet', podTemplateProblems],
  ['batch/Job', podTemplateProblems],
  ['batch/CronJob', podTemplateProblems],
  ['/Service', serviceProblems],
  ['/ConfigMap', configMapProblems],
  ['/Secret', secretProblems],
  ['/PersistentVolumeClaim', none],
  ['/ServiceAccount', none],
  ['policy/PodDisruptionBudget', none],
  ['autoscaling/HorizontalPodAutoscaler', none],
  ['networking.k8s.io/Ingress', ingressProblems],
  ['gateway.networking.k8s.io/HTTPRoute', none],
  ['gateway.envoyproxy.io/BackendTrafficPolicy', none],
  ['rbac.authorization.k8s.io/Role', roleProblems],
  ['rbac.authorization.k8s.io/RoleBinding', roleBindingProblems],
]);

/**
 * Capabilities a container may add: the restricted profile's one. The sandbox keeps the runtime's default set by
 * not dropping it (chart-values.ts), never by adding.
 */
const ADDABLE_CAPABILITIES = new Set(['NET_BIND_SERVICE']);

/** The sysctls the baseline profile calls safe (namespaced to the pod). */
const SAFE_SYSCTLS = new Set([
  'kernel.shm_rmid_forced', 'net.ipv4.ip_local_port_range', 'net.ipv4.ip_unprivileged_port_start', 'net.ipv4.tcp_syncookies',
  'net.ipv4.ping_group_range', 'net.ipv4.ip_local_reserved_ports', 'net.ipv4.tcp_keepalive_time', 'net.ipv4.tcp_fin_timeout',
  'net.ipv4.tcp_keepalive_intvl', 'net.ipv4.tcp_keepalive_probes',
]);

/** Verbs a chart's Role may grant: reading. No Dify component calls the Kubernetes API (harden.ts mounts no token). */
const READ_VERBS = new Set(['get', 'list', 'watch']);

/** Resources a Role may not read even so: what holds credentials or opens a shell in a pod. */
const GUARDED_RESOURCES = /^(secrets|serviceaccounts\/token|pods\/(exec|attach|portforward|proxy)|services\/proxy|nodes\/proxy)$/;

/** Every object of the render the policy refuses, one line each: `Kind name: what it does and why it is refused`. */
export function policyViolations(objects: readonly Json[], policy: ChartPolicy): string[] {
  return objects.flatMap((object) => objectProblems(object, policy, objects).map((problem) => `${describeObject(object)}: ${problem}`));
}

function objectProblems(object: Json, policy: ChartPolicy, all: readonly Json[]): string[] {
  const kind = `${groupOf(object.apiVersion)}/${object.kind}`;
  const check = ADMITTED_KINDS.get(kind);
  if (!check) return [`a chart may not render a ${object.kind} (${object.apiVersion}): a Dify chart renders ${ADMITTED}`];
  const namespace = object.metadata?.namespace;
  if (namespace !== undefined && namespace !== policy.namespace) {
    const system = SYSTEM_NAMESPACES.includes(namespace) ? ', a namespace Kubernetes keeps for itself' : '';
    return [`is written into namespace ${namespace}${system}: a chart's objects belong in the platform's namespace ${policy.namespace}`];
  }
  return check(object, policy, all);
}

/** The API group of an apiVersion: `apps/v1` is `apps`, `v1` the core group (empty). */
function groupOf(apiVersion: unknown): string {
  const parts = String(apiVersion).split('/');
  return parts.length === 2 ? parts[0] : '';
}

function none(): string[] {
  return [];
}

function podTemplateProblems(object: Json): string[] {
  const template = podTemplateOf(object);
  return [...podAnnotationProblems(template?.metadata?.annotations ?? {}), ...podSpecProblems(template?.spec ?? {})];
}

/**
 * The volume types the restricted Pod Security profile allows: nothing from the node (hostPath) or from a server the
 * pod mounts itself (nfs, iscsi, cephfs, ...), whose reach the platform cannot see.
 */
const RESTRICTED_VOLUMES = new Set(['configMap', 'csi', 'downwardAPI', 'emptyDir', 'ephemeral', 'persistentVolumeClaim', 'projected', 'secret']);

/** AppArmor asked off by the annotation form (the field form is securityContextProblems'). */
function podAnnotationProblems(annotations: Json): string[] {
  return Object.entries<unknown>(annotations)
    .filter(([key, value]) => key.startsWith('container.apparmor.security.beta.kubernetes.io/') && String(value) === 'unconfined')
    .map(([key]) => `container ${key.split('/')[1]} runs without an AppArmor profile (annotation ${key}: unconfined)`);
}

/**
 * An ingress-nginx `*-snippet` annotation puts raw nginx configuration into the controller every namespace shares
 * (CVE-2021-25742 and CVE-2025-1974 are about what it reaches): a chart's Ingress carries none.
 */
function ingressProblems(object: Json): string[] {
  return Object.keys(object.metadata?.annotations ?? {}).filter((key) => /-snippets?$/.test(key))
    .map((key) => `carries ${key}, raw configuration for the ingress controller every namespace shares; the platform's Ingress serves Dify`);
}

/** What a pod asks of its node beyond the restricted profile. */
export function podSpecProblems(spec: Json): string[] {
  const problems: string[] = [];
  for (const [field, shared] of [['hostNetwork', 'network'], ['hostPID', 'process'], ['hostIPC', 'IPC']] as const) {
    if (spec[field] === true) problems.push(`${field}: true shares the node's ${shared} namespace with the pod`);
  }
  for (const volume of spec.volumes ?? []) {
    const type = Object.keys(volume).find((key) => key !== 'name');
    if (volume.hostPath) problems.push(`volume ${volume.name} mounts the node's ${volume.hostPath.path} (hostPath)`);
    else if (type !== undefined && !RESTRICTED_VOLUMES.has(type)) problems.push(`volume ${volume.name} is of type ${type}, which the restricted profile does not allow`);
    const token = (volume.projected?.sources ?? []).find((source: Json) => source.serviceAccountToken);
    if (token) problems.push(`volume ${volume.name} projects a service account token into the pod, which the platform takes away from every Dify pod`);
  }
  problems.push(...securityContextProblems(spec.securityContext, 'the pod'));
  for (const sysctl of spec.securityContext?.sysctls ?? []) {
    if (!SAFE_SYSCTLS.has(sysctl.name)) problems.push(`sysctl ${sysctl.name} is not one the baseline profile calls safe`);
  }
  const containers = [...(spec.initContainers ?? []), ...(spec.containers ?? []), ...(spec.ephemeralContainers ?? [])];
  for (const container of containers) {
    const where = `container ${container.name}`;
    problems.push(...securityContextProblems(container.securityContext, where));
    const context = container.securityContext ?? {};
    if (context.privileged === true) problems.push(`${where} is privileged: it would hold every capability and device of the node`);
    if (context.allowPrivilegeEscalation === true) problems.push(`${where} sets allowPrivilegeEscalation: true (setuid programs could gain privileges)`);
    const added = (context.capabilities?.add ?? []).filter((capability: string) => !ADDABLE_CAPABILITIES.has(String(capability).replace(/^CAP_/, '')));
    if (added.length > 0) problems.push(`${where} adds capabilities ${added.join(', ')}; only NET_BIND_SERVICE may be added`);
    if (context.procMount !== undefined && context.procMount !== 'Default') problems.push(`${where} asks for procMount ${context.procMount}`);
    for (const port of container.ports ?? []) {
      if (port.hostPort !== undefined && port.hostPort !== 0) problems.push(`${where} binds port ${port.hostPort} of the node (hostPort)`);
    }
  }
  return problems;
}

/** Root and unconfined profiles, at the pod's level or a container's. */
function securityContextProblems(context: Json | undefined, where: string): string[] {
  if (!context) return [];
  const problems: string[] = [];
  if (context.runAsUser === 0) problems.push(`${where} is made to run as root (runAsUser: 0)`);
  if (context.runAsGroup === 0 && where !== 'the pod') problems.push(`${where} is made to run in the root group (runAsGroup: 0)`);
  if (context.seccompProfile?.type === 'Unconfined') problems.push(`${where} runs without a seccomp profile (Unconfined)`);
  if (context.appArmorProfile?.type === 'Unconfined') problems.push(`${where} runs without an AppArmor profile (Unconfined)`);
  if (context.windowsOptions?.hostProcess === true) problems.push(`${where} runs as a Windows host process`);
  if (context.seLinuxOptions?.type !== undefined && !/^(container_t|container_init_t|container_kvm_t)$/.test(context.seLinuxOptions.type)) {
    problems.push(`${where} asks for SELinux type ${context.seLinuxOptions.type}`);
  }
  return problems;
}

/** A Service's type must be ClusterIP unless the user's values ask for another for the component it selects. */
function serviceProblems(object: Json, policy: ChartPolicy): string[] {
  const type = object.spec?.type ?? 'ClusterIP';
  const problems: string[] = [];
  const component = object.spec?.selector?.['app.kubernetes.io/component'];
  if (type !== 'ClusterIP' && policy.serviceTypes[component] !== type) {
    problems.push(`is of type ${type}, which the config does not ask for: the platform serves Dify through dify.ingress; `
      + `set <component>.service.type: ${type} in dify.chart.values to expose ${component ?? 'it'} this way`);
  }
  if ((object.spec?.externalIPs ?? []).length > 0) problems.push(`takes traffic for external IPs ${object.spec.externalIPs.join(', ')}`);
  return problems;
}

/**
 * A ConfigMap is in git in plain text: no credential in it, as a key, as a `NAME=value` line of a file it holds, or
 * as a key of a JSON or YAML document it holds (`{"apiKey": ...}`, `password: ...`).
 */
function configMapProblems(object: Json): string[] {
  const problems: string[] = [];
  for (const [key, value] of Object.entries<unknown>(object.data ?? {})) {
    const text = String(value ?? '');
    if (isCredentialName(key) && text.trim() !== '') problems.push(`holds ${key}, a credential, in plain text; give it from a Secret`);
    const before = problems.length;
    for (const line of text.split('\n')) {
      const assignment = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*[=:]\s*["']?([^"'\s#][^#]*?)["']?\s*$/.exec(line);
      if (assignment && isCredentialName(assignment[1])) problems.push(`holds ${assignment[1]} in its ${key}, a credential in plain text; give it from a Secret`);
    }
    // A key deeper in a JSON or YAML document than a `NAME: value` line shows.
    const nested = problems.length === before ? credentialKeyIn(documentOf(text)) : undefined;
    if (nested) problems.push(`holds ${nested} in its ${key}, a credential in plain text; give it from a Secret`);
  }
  return problems;
}

/** A ConfigMap value read as JSON or YAML when it is a document of either; undefined otherwise. */
function documentOf(text: string): unknown {
  if (!/^\s*[{[]|:\s/m.test(text)) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    try {
      return parse(text, { maxAliasCount: 100 });
    } catch {
      return undefined;
    }
  }
}

/** The path of the first key at any depth whose name says it holds a credential and that holds a non-empty value. */
function credentialKeyIn(value: unknown, at = ''): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const path = at ? `${at}.${key}` : key;
    if (!Array.isArray(value) && isCredentialName(key) && (typeof inner === 'string' || typeof inner === 'number') && String(inner).trim() !== '') return path;
    const deeper = credentialKeyIn(inner, path);
    if (deeper) return deeper;
  }
  return undefined;
}

/** A Secret's values would be in git (harden.ts refuses data); a token Secret would be filled with a token by the cluster. */
function secretProblems(object: Json): string[] {
  return object.type === 'kubernetes.io/service-account-token'
    ? [`asks the cluster for a token of service account ${object.metadata?.annotations?.['kubernetes.io/service-account.name'] ?? '(none named)'}`]
    : [];
}

/** A Role may read, in its namespace, what holds no credential. */
function roleProblems(object: Json): string[] {
  const problems: string[] = [];
  for (const rule of object.rules ?? []) {
    const verbs: string[] = rule.verbs ?? [];
    const resources: string[] = rule.resources ?? [];
    const granting = verbs.filter((verb) => !READ_VERBS.has(verb));
    if (granting.length > 0) problems.push(`grants ${granting.join(', ')}; a chart's Role may only get, list and watch`);
    const wildcard = [...(rule.apiGroups ?? []), ...resources].includes('*');
    if (wildcard) problems.push('grants * (every resource or API group); name what it reads');
    const guarded = resources.filter((resource) => GUARDED_RESOURCES.test(resource));
    if (guarded.length > 0) problems.push(`reads ${guarded.join(', ')}, which hold credentials or open a shell in a pod`);
  }
  return problems;
}

/** A RoleBinding may bind one of the chart's own Roles to service accounts of the namespace. */
function roleBindingProblems(object: Json, policy: ChartPolicy, all: readonly Json[]): string[] {
  const problems: string[] = [];
  const ref = object.roleRef ?? {};
  const ownRole = all.some((other) => other.kind === 'Role' && other.metadata?.name === ref.name);
  if (ref.kind !== 'Role' || !ownRole) {
    problems.push(`binds ${ref.kind} ${ref.name}, which is not a Role the chart renders (and its policy checks)`);
  }
  for (const subject of object.subjects ?? []) {
    const foreign = subject.kind !== 'ServiceAccount' || (subject.namespace !== undefined && subject.namespace !== policy.namespace);
    if (foreign) problems.push(`binds ${subject.kind} ${subject.namespace ? `${subject.namespace}/` : ''}${subject.name}; only service accounts of ${policy.namespace} may be bound`);
  }
  return problems;
}
