import { ReleaseLine } from './release-lines';

/**
 * What each storage provider KubeBlocks' chart installs needs from a BackupRepo, read from its StorageProvider's
 * `parametersSchema` at v0.9.5 and v1.0.2 (apecloud/kubeblocks, deploy/helm/templates/storageprovider/<provider>.yaml;
 * the storage-providers test checks this table against those files where the team's third-party folder has them). The BackupRepo
 * controller merges the schema's defaults, the repo's `spec.config` and every key of its credential Secret, then
 * checks the result against the schema: a required parameter missing from both is a repo that never turns Ready.
 */
export interface StorageProviderFacts {
  /** The config key naming where backups go: `bucket` for the S3-like stores, `container` for Azure Blob Storage. */
  readonly place: 'bucket' | 'container';
  /** The config keys the schema requires besides the place (region for the clouds' S3 APIs, endpoint for self-hosted). */
  readonly requires: readonly ('region' | 'endpoint')[];
  /** The optional config keys the schema declares that the platform passes on. */
  readonly accepts: readonly ('region' | 'endpoint')[];
  /** The keys the credential Secret must hold (the schema's `credentialFields`). */
  readonly secretKeys: readonly string[];
  /** The release lines whose chart installs it. */
  readonly releaseLines: readonly ReleaseLine[];
  /** An example value of the required region or endpoint, for error messages (none when nothing is required). */
  readonly example?: string;
}

const S3_KEYS = ['accessKeyId', 'secretAccessKey'] as const;
const BOTH_LINES: readonly ReleaseLine[] = ['0.9', '1.0'];

/** Clouds whose S3 API is reached by region: the endpoint is derived from it unless given. */
function regional(example: string): StorageProviderFacts {
  return { place: 'bucket', requires: ['region'], accepts: ['endpoint'], secretKeys: S3_KEYS, releaseLines: BOTH_LINES, example };
}

/** Self-hosted S3 APIs, reached by URL. */
function selfHosted(releaseLines: readonly ReleaseLine[]): StorageProviderFacts {
  return { place: 'bucket', requires: ['endpoint'], accepts: ['region'], secretKeys: S3_KEYS, releaseLines, example: 'http://minio.backup:9000' };
}

export const STORAGE_PROVIDERS = {
  's3': regional('eu-west-1'),
  // Added in KubeBlocks 1.0: the 0.9.5 chart has no such StorageProvider.
  's3-compatible': selfHosted(['1.0']),
  'minio': selfHosted(BOTH_LINES),
  'oss': regional('cn-hangzhou'),
  'cos': regional('ap-guangzhou'),
  // Google's S3-interoperable API takes the region `auto`.
  'gcs-s3comp': regional('auto'),
  'obs': regional('cn-north-4'),
  'azureblob': {
    place: 'container', requires: [], accepts: ['endpoint'], secretKeys: ['accountName', 'accountKey'], releaseLines: BOTH_LINES,
  },
} as const satisfies Record<string, StorageProviderFacts>;

export type StorageProviderName = keyof typeof STORAGE_PROVIDERS;

export const BACKUP_PROVIDERS = Object.keys(STORAGE_PROVIDERS) as [StorageProviderName, ...StorageProviderName[]];
