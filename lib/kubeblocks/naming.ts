/**
 * The names of the Services, Secrets and pods that KubeBlocks creates for a cluster. This is the only place that
 * knows them: every other layer gets them from a connection contract (connections.ts).
 *
 * Two naming schemes exist (kubeblocks-facts.md):
 * - `componentDef`: 1.0, and 0.9 Clusters in topology form (the platform's Redis and Qdrant; the seed's Redis);
 * - `legacy`: 0.9 components that set `componentDefRef` against a ClusterDefinition (the platform's and the seed's
 *   PostgreSQL).
 * A cluster the platform writes gets the scheme of how it points at its definitions; an existing cluster the one its
 * user names (`existingCluster.form`, external-databases.ts).
 */

export type NamingScheme = 'componentDef' | 'legacy';

/** The longest name Kubernetes allows for a Service, a pod hostname or a label value. */
export const MAX_DNS_LABEL = 63;

/** A DNS-1035 label: what Kubernetes requires of Service names, and so of anything a Service name is built from. */
export const DNS_LABEL_PATTERN = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** KubeBlocks' own limit for component names (Cluster CRD, both lines). */
export const MAX_COMPONENT_NAME = 22;

export interface ComponentRef {
  readonly scheme: NamingScheme;
  readonly clusterName: string;
  readonly componentName: string;
}

/**
 * The Service that follows the component's primary (or spans its pods, for Qdrant).
 * @param definitionServiceName the service name the engine's ComponentDefinition declares (e.g. `postgresql`).
 */
export function componentServiceName(ref: ComponentRef, definitionServiceName: string): string {
  return ref.scheme === 'legacy'
    ? `${ref.clusterName}-${ref.componentName}`
    : `${ref.clusterName}-${ref.componentName}-${definitionServiceName}`;
}

export function headlessServiceName(ref: ComponentRef): string {
  return `${ref.clusterName}-${ref.componentName}-headless`;
}

export function podName(ref: ComponentRef, ordinal: number): string {
  return `${ref.clusterName}-${ref.componentName}-${ordinal}`;
}

/** A pod's stable DNS name through the headless Service, qualified by namespace so it resolves from anywhere. */
export function podHost(ref: ComponentRef, ordinal: number, namespace: string): string {
  return `${podName(ref, ordinal)}.${headlessServiceName(ref)}.${namespace}.svc`;
}

/** The Secret that holds an account's credentials, with keys `username` and `password` in both schemes. */
export function accountSecretName(ref: ComponentRef, account: string): string {
  return ref.scheme === 'legacy'
    ? `${ref.clusterName}-conn-credential`
    : `${ref.clusterName}-${ref.componentName}-account-${account}`;
}

/** Every DNS label KubeBlocks derives from a component, for checking them against {@link MAX_DNS_LABEL}. */
export function derivedLabels(ref: ComponentRef, definitionServiceName: string, replicas: number): string[] {
  return [
    componentServiceName(ref, definitionServiceName),
    headlessServiceName(ref),
    podName(ref, Math.max(replicas - 1, 0)),
  ];
}

/**
 * The BackupPolicy KubeBlocks makes for a component from its addon's BackupPolicyTemplate, in both schemes:
 * `<cluster>-<component>-backup-policy` (kubeblocks v1.0.2 controllers/dataprotection/backuppolicydriver_controller.go
 * and v0.9.5 controllers/apps/transformer_cluster_backup_policy.go, `generateBackupPolicyName`; 0.9.5 appends
 * `-<identifier>` for a template that sets one, which the addons' default templates do not). A Backup names it: a
 * cluster whose components match several templates (Milvus's etcd matches the etcd addon's) has one default policy
 * per component, and KubeBlocks refuses a Backup that names none ("multiple default backup policies").
 */
export function backupPolicyName(ref: ComponentRef): string {
  return `${ref.clusterName}-${ref.componentName}-backup-policy`;
}
