/**
 * What a platform file's own objects name that the KubeBlocks operator is to make: the Secrets (and their keys) and
 * Services its containers, init containers and Jobs read, the pods it reaches by their stable DNS names, and the
 * label selectors (NetworkPolicies, the Clusters' own anti-affinity terms) that are meant to select the operator's
 * pods. A name counts as the operator's when it is derived from a Cluster of the file (`<cluster>-...`) and no object
 * of the file is called so; the file's own Services and Secrets, and Secrets a user or our bootstrap Job makes, are
 * not the operator's to make.
 */
import { manifestsOf } from './cluster-apply';

type Obj = Record<string, any>;

export interface SecretKeyRef { secret: string; key?: string; from: string }
export interface NameRef { name: string; from: string }

export interface OperatorReferences {
  namespace: string;
  clusters: string[];
  /** Secrets (with the key read, where one is) that the operator is to make. */
  secrets: SecretKeyRef[];
  /** Services that the operator is to make. */
  services: NameRef[];
  /** Pods reached by `<pod>.<headless service>.<namespace>.svc`. */
  pods: NameRef[];
}

export interface SelectorRef {
  selector: Obj;
  from: string;
  /** The Cluster component whose pods it must select (anti-affinity terms). */
  component?: { cluster: string; name: string };
}

/** Pod templates of a workload, with where each came from. */
function podSpecs(manifest: Obj): [string, Obj][] {
  const name = `${manifest.kind}/${manifest.metadata?.name}`;
  const spec = manifest.spec ?? {};
  if (spec.template?.spec) return [[name, spec.template.spec]];
  if (spec.jobTemplate?.spec?.template?.spec) return [[name, spec.jobTemplate.spec.template.spec]];
  return [];
}

/** Host names in an env value: `name`, `name:port`, `scheme://user:pass@name:port/path`, comma-separated lists. */
export function hostsIn(value: string): string[] {
  return value.split(/[,\s;]+/).filter(Boolean).map((part) => part
    .replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/^[^@/]*@/, '').replace(/[:/?].*$/, ''))
    .filter((host) => host && !host.includes('$('));
}

const HOST_VARIABLE = /(HOST|HOSTS|URL|URI|SENTINELS|ENDPOINT|ADDR|ADDRESS)$/;

export function operatorReferences(yaml: string): OperatorReferences {
  const manifests = manifestsOf(yaml) as unknown as Obj[];
  const clusters = manifests.filter((m) => m.kind === 'Cluster').map((m) => m.metadata.name as string);
  const namespace = manifests.find((m) => m.metadata?.namespace)?.metadata.namespace as string;
  const own = (kind: string) => new Set(manifests.filter((m) => m.kind === kind).map((m) => m.metadata.name as string));
  const ownSecrets = own('Secret');
  const ownServices = own('Service');
  const fromCluster = (name: string) => clusters.some((cluster) => name.startsWith(`${cluster}-`));
  const result: OperatorReferences = { namespace, clusters, secrets: [], services: [], pods: [] };
  const secret = (secretName: string, from: string, key?: string) => {
    if (fromCluster(secretName) && !ownSecrets.has(secretName)) result.secrets.push({ secret: secretName, key, from });
  };
  const host = (name: string, from: string) => {
    const labels = name.replace(/\.cluster\.local$/, '').split('.');
    // <service>, <service>.<namespace>.svc, <pod>.<service>.<namespace>.svc; any other name is outside the cluster.
    let service: string | undefined;
    if (labels.length === 1) service = labels[0];
    else if (labels.length === 3 && labels[2] === 'svc' && labels[1] === namespace) service = labels[0];
    else if (labels.length === 4 && labels[3] === 'svc' && labels[2] === namespace) {
      service = labels[1];
      if (fromCluster(labels[0])) result.pods.push({ name: labels[0], from });
    }
    if (service && fromCluster(service) && !ownServices.has(service)) result.services.push({ name: service, from });
  };
  for (const manifest of manifests) {
    for (const [workload, pod] of podSpecs(manifest)) {
      for (const container of [...(pod.initContainers ?? []), ...(pod.containers ?? [])]) {
        const where = `${workload} ${container.name}`;
        for (const env of container.env ?? []) {
          const ref = env.valueFrom?.secretKeyRef;
          if (ref) secret(ref.name, `${where} env ${env.name}`, ref.key);
          if (typeof env.value === 'string' && (HOST_VARIABLE.test(env.name) || env.value.includes('://'))) {
            for (const name of hostsIn(env.value)) host(name, `${where} env ${env.name}`);
          }
        }
        for (const from of container.envFrom ?? []) if (from.secretRef) secret(from.secretRef.name, `${where} envFrom`);
      }
      for (const volume of pod.volumes ?? []) {
        if (volume.secret) secret(volume.secret.secretName, `${workload} volume ${volume.name}`);
        for (const source of volume.projected?.sources ?? []) if (source.secret) secret(source.secret.name, `${workload} volume ${volume.name}`);
      }
    }
  }
  return result;
}

/** Labels that only backup and restore pods carry: such pods exist only while a backup or restore runs. */
const BACKUP_POD_LABEL = /^dataprotection\.kubeblocks\.io\//;

/**
 * Every pod selector of the file that must select a pod of the namespace once the operator and the controllers
 * have made them: each NetworkPolicy's own podSelector and its peers' (those without a namespaceSelector, other
 * than backup and restore pods'), and each Cluster component's anti-affinity terms (which must select that
 * component's pods, or the spread is void).
 */
export function podSelectors(yaml: string): SelectorRef[] {
  const refs: SelectorRef[] = [];
  for (const manifest of manifestsOf(yaml) as unknown as Obj[]) {
    const name = `${manifest.kind}/${manifest.metadata?.name}`;
    if (manifest.kind === 'NetworkPolicy') {
      refs.push({ selector: manifest.spec.podSelector ?? {}, from: `${name} spec.podSelector` });
      const peers = [...(manifest.spec.ingress ?? []).flatMap((rule: Obj) => rule.from ?? []),
        ...(manifest.spec.egress ?? []).flatMap((rule: Obj) => rule.to ?? [])];
      for (const peer of peers) {
        if (!peer.podSelector || peer.namespaceSelector) continue;
        const keys = [...Object.keys(peer.podSelector.matchLabels ?? {}), ...(peer.podSelector.matchExpressions ?? []).map((e: Obj) => e.key)];
        if (keys.some((key) => BACKUP_POD_LABEL.test(key))) continue;
        refs.push({ selector: peer.podSelector, from: `${name} peer ${JSON.stringify(peer.podSelector)}` });
      }
    }
    if (manifest.kind === 'Cluster') {
      for (const spec of manifest.spec.componentSpecs ?? []) {
        const affinity = spec.schedulingPolicy?.affinity ?? spec.affinity ?? {};
        const terms = [...(affinity.podAntiAffinity?.preferredDuringSchedulingIgnoredDuringExecution ?? []).map((t: Obj) => t.podAffinityTerm),
          ...(affinity.podAntiAffinity?.requiredDuringSchedulingIgnoredDuringExecution ?? [])];
        for (const term of terms) {
          if (term?.labelSelector) {
            refs.push({ selector: term.labelSelector, from: `${name} ${spec.name} anti-affinity`, component: { cluster: manifest.metadata.name, name: spec.name } });
          }
        }
      }
    }
  }
  return refs;
}

/** Whether a label selector (matchLabels, matchExpressions) selects a pod with these labels. */
export function selects(selector: Obj, labels: Record<string, string>): boolean {
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const expression of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, expression.key);
    const values: string[] = expression.values ?? [];
    const ok = expression.operator === 'In' ? has && values.includes(labels[expression.key])
      : expression.operator === 'NotIn' ? !has || !values.includes(labels[expression.key])
        : expression.operator === 'Exists' ? has
          : expression.operator === 'DoesNotExist' ? !has : false;
    if (!ok) return false;
  }
  return true;
}
