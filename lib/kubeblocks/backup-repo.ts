import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';

/** Where KubeBlocks' Helm chart installs its operator and data-protection controller unless told otherwise. */
export const DEFAULT_OPERATOR_NAMESPACE = 'kb-system';

/** The storage providers KubeBlocks' chart installs (deploy/helm/templates/storageprovider). */
export const BACKUP_PROVIDERS = ['s3', 's3-compatible', 'minio', 'oss', 'cos', 'gcs-s3comp', 'obs', 'azureblob'] as const;

export interface BackupRepoProps {
  /** @default 'dify-backups' */
  readonly name?: string;
  readonly provider: (typeof BACKUP_PROVIDERS)[number];
  readonly bucket: string;
  /** Needed by s3. @default - none */
  readonly region?: string;
  /** Needed by minio and s3-compatible, e.g. `http://minio.backup:9000`. @default - none */
  readonly endpoint?: string;
  /**
   * The Secret with `accessKeyId` and `secretAccessKey`, where KubeBlocks reads it.
   * `namespace` @default - {@link operatorNamespace}
   */
  readonly credentialsSecret: { readonly name: string; readonly namespace?: string };
  /** The namespace KubeBlocks runs in. @default 'kb-system' */
  readonly operatorNamespace?: string;
  /** A folder in the bucket. @default - the bucket's root */
  readonly pathPrefix?: string;
  /** `Tool` streams backups to the store; `Mount` goes through a CSI volume. @default 'Tool' */
  readonly accessMethod?: 'Tool' | 'Mount';
  /** Mark it the installation's default repo, where clusters without `backup.repo` send backups. @default true */
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
        config: { bucket: props.bucket, ...(props.region ? { region: props.region } : {}), ...(props.endpoint ? { endpoint: props.endpoint } : {}) },
        credential: { name: props.credentialsSecret.name, namespace: props.credentialsSecret.namespace ?? props.operatorNamespace ?? DEFAULT_OPERATOR_NAMESPACE },
        pvReclaimPolicy: 'Retain',
        ...(props.pathPrefix ? { pathPrefix: props.pathPrefix } : {}),
      },
    });
    // Cluster-scoped: the chart's namespace must not be stamped on it.
    repo.addJsonPatch(JsonPatch.remove('/metadata/namespace'));
  }
}
