import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { STORAGE_PROVIDERS, StorageProviderName } from './storage-providers';

/** Where KubeBlocks' Helm chart installs its operator and data-protection controller unless told otherwise. */
export const DEFAULT_OPERATOR_NAMESPACE = 'kb-system';

/** Where KubeBlocks keeps backups: one cluster-wide BackupRepo, its provider, place and credentials Secret. */
export interface BackupRepoProps {
  /** @default 'dify-backups' */
  readonly name?: string;
  /** One of KubeBlocks' StorageProviders; what each needs is in {@link STORAGE_PROVIDERS}. */
  readonly provider: StorageProviderName;
  /** Where backups go, for every provider but azureblob. @default - none */
  readonly bucket?: string;
  /** Where backups go on azureblob. @default - none */
  readonly container?: string;
  /** Needed by s3, oss, cos, obs and gcs-s3comp. @default - none */
  readonly region?: string;
  /** Needed by minio and s3-compatible, e.g. `http://minio.backup:9000`. @default - none */
  readonly endpoint?: string;
  /**
   * The Secret with the provider's credential keys (`accessKeyId` and `secretAccessKey`; `accountName` and
   * `accountKey` for azureblob), where KubeBlocks reads it.
   * `namespace` @default - {@link operatorNamespace}
   */
  readonly credentialsSecret: { readonly name: string; readonly namespace?: string };
  /** The namespace KubeBlocks runs in. @default 'kb-system' */
  readonly operatorNamespace?: string;
  /** A folder in the bucket. @default - the bucket's root */
  readonly pathPrefix?: string;
  /** `Tool` streams backups to the store; `Mount` goes through a CSI volume. @default 'Tool' */
  readonly accessMethod?: 'Tool' | 'Mount';
  /**
   * Mark it the installation's default repo, where backups that name no repo go (the platform's own clusters name
   * theirs). KubeBlocks fails such backups when two repos are default, so one synth allows one. @default true
   */
  readonly default?: boolean;
}

export const DEFAULT_BACKUP_REPO = 'dify-backups';

/**
 * A KubeBlocks BackupRepo (dataprotection.kubeblocks.io/v1alpha1, cluster-scoped): where backups go. Its volumes
 * are kept when the repo is deleted (pvReclaimPolicy Retain): backups outlive the repo object.
 */
export class BackupRepo extends Construct {
  public readonly name: string;

  constructor(scope: Construct, id: string, props: BackupRepoProps) {
    super(scope, id);
    this.name = props.name ?? DEFAULT_BACKUP_REPO;
    const repo = new ApiObject(this, 'BackupRepo', {
      apiVersion: 'dataprotection.kubeblocks.io/v1alpha1',
      kind: 'BackupRepo',
      metadata: {
        name: this.name,
        ...(props.default ?? true ? { annotations: { 'dataprotection.kubeblocks.io/is-default-repo': 'true' } } : {}),
      },
      spec: {
        storageProviderRef: props.provider,
        accessMethod: props.accessMethod ?? 'Tool',
        config: providerConfig(props),
        credential: { name: props.credentialsSecret.name, namespace: props.credentialsSecret.namespace ?? props.operatorNamespace ?? DEFAULT_OPERATOR_NAMESPACE },
        pvReclaimPolicy: 'Retain',
        ...(props.pathPrefix ? { pathPrefix: props.pathPrefix } : {}),
      },
    });
    // Cluster-scoped: the chart's namespace must not be stamped on it.
    repo.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}

/**
 * The repo's `spec.config`: the place and the keys the provider's parameter schema declares. A key the schema does not
 * declare is left out rather than passed on, where it would do nothing.
 */
export function providerConfig(props: BackupRepoProps): Record<string, string> {
  const facts = STORAGE_PROVIDERS[props.provider];
  const place = facts.place === 'container' ? props.container : props.bucket;
  if (!place) throw new Error(`backupRepo: provider ${props.provider} needs ${facts.place}`);
  const declared: readonly string[] = [...facts.requires, ...facts.accepts];
  const config: Record<string, string> = { [facts.place]: place };
  if (props.region !== undefined && declared.includes('region')) config.region = props.region;
  if (props.endpoint !== undefined && declared.includes('endpoint')) config.endpoint = props.endpoint;
  return config;
}
