import * as k8s from '../../k8s';
import { Construct } from 'constructs';
import { DifyAppSecrets } from '../wiring/app-secrets';
import { DifyConfig } from '../dify-config';
import { FileStorageSettings } from '../storage-settings';
import { DifyMinio } from './minio';
import { env, secretEnv, SYNC_WAVE, syncWave, labelsOf } from '../components/workload';


/** Where api, worker and beat keep files inside the container when storage is a shared volume. */
const STORAGE_PATH = '/app/api/storage';

export interface DifyFileStorageProps {
  readonly namespace: string;
  readonly config: DifyConfig;
  readonly secrets: DifyAppSecrets;
}

/**
 * Dify's file store, which must outlive pods and be shared by api and worker: the embedded MinIO (default), an
 * S3-compatible store the user runs, or a ReadWriteMany volume. Exposes what the backend containers need.
 */
export class DifyFileStorage extends Construct {
  /** Storage variables for api, worker, beat and the migration Job. */
  public readonly env: k8s.EnvVar[];
  public readonly volumes: k8s.Volume[] = [];
  public readonly volumeMounts: k8s.VolumeMount[] = [];

  constructor(scope: Construct, id: string, props: DifyFileStorageProps) {
    super(scope, id);
    const storage = props.config.settings.storage ?? {};
    const type = storage.type ?? 'minio';
    if (type === 'volume') {
      this.env = this.sharedVolume(props);
    } else if (type === 's3') {
      const s3 = storage.s3!;
      const credentials = (key: string) => ({ name: s3.credentialsSecret!, key });
      // With a cloud identity (IRSA, EKS Pod Identity) the AWS SDK finds its own credentials: no key Secret at all.
      this.env = s3Env(s3.endpoint, s3.bucket, s3.region ?? 'us-east-1', s3.addressStyle ?? 'path', s3.useIamRole
        ? undefined : { accessKey: credentials(s3.accessKeyKey ?? 'access-key'), secretKey: credentials(s3.secretKeyKey ?? 'secret-key') });
    } else if (type === 'azure-blob' || type === 'google-storage' || type === 'aliyun-oss') {
      this.env = CLOUD_STORAGE_ENV[type](storage);
    } else {
      const minio = new DifyMinio(this, 'Minio', { namespace: props.namespace, config: props.config, secrets: props.secrets });
      this.env = s3Env(minio.endpoint, minio.bucket, 'us-east-1', 'path',
        { accessKey: props.secrets.ref('minioRootUser'), secretKey: props.secrets.ref('minioRootPassword') });
    }
  }

  private sharedVolume(props: DifyFileStorageProps): k8s.EnvVar[] {
    const volume = props.config.settings.storage?.volume ?? {};
    const claimName = 'dify-storage';
    new k8s.KubePersistentVolumeClaim(this, 'Claim', {
      metadata: { name: claimName, namespace: props.namespace, labels: labelsOf('storage', props.config.features.version), annotations: syncWave(SYNC_WAVE.bootstrap) },
      spec: {
        accessModes: ['ReadWriteMany'],
        storageClassName: volume.storageClass,
        resources: { requests: { storage: k8s.Quantity.fromString(volume.size ?? '20Gi') } },
      },
    });
    this.volumes.push({ name: 'storage', persistentVolumeClaim: { claimName } });
    this.volumeMounts.push({ name: 'storage', mountPath: STORAGE_PATH });
    return props.config.features.volumeStorageType === 'opendal'
      ? [env('STORAGE_TYPE', 'opendal'), env('OPENDAL_SCHEME', 'fs'), env('OPENDAL_FS_ROOT', STORAGE_PATH)]
      : [env('STORAGE_TYPE', 'local'), env('STORAGE_LOCAL_PATH', STORAGE_PATH)];
  }
}

type KeyRef = { name: string; key: string };

/** The variables of Dify's cloud storage backends (api/extensions/storage/*, the names in its settings lists). */
const CLOUD_STORAGE_ENV: Readonly<Record<'azure-blob' | 'google-storage' | 'aliyun-oss', (storage: FileStorageSettings) => k8s.EnvVar[]>> = {
  'azure-blob': (storage) => {
    const azure = storage.azureBlob!;
    return [
      env('STORAGE_TYPE', 'azure-blob'),
      env('AZURE_BLOB_ACCOUNT_NAME', azure.accountName),
      env('AZURE_BLOB_CONTAINER_NAME', azure.containerName),
      env('AZURE_BLOB_ACCOUNT_URL', azure.accountUrl ?? `https://${azure.accountName}.blob.core.windows.net`),
      secretEnv('AZURE_BLOB_ACCOUNT_KEY', { name: azure.credentialsSecret, key: azure.accountKeyKey ?? 'account-key' }),
    ];
  },
  'google-storage': (storage) => {
    const google = storage.googleStorage!;
    return [
      env('STORAGE_TYPE', 'google-storage'),
      env('GOOGLE_STORAGE_BUCKET_NAME', google.bucket),
      ...(google.credentialsSecret ? [secretEnv('GOOGLE_STORAGE_SERVICE_ACCOUNT_JSON_BASE64',
        { name: google.credentialsSecret, key: google.serviceAccountJsonKey ?? 'service-account-json-base64' })] : []),
    ];
  },
  'aliyun-oss': (storage) => {
    const oss = storage.aliyunOss!;
    return [
      env('STORAGE_TYPE', 'aliyun-oss'),
      env('ALIYUN_OSS_BUCKET_NAME', oss.bucket),
      env('ALIYUN_OSS_ENDPOINT', oss.endpoint),
      env('ALIYUN_OSS_REGION', oss.region),
      env('ALIYUN_OSS_AUTH_VERSION', oss.authVersion ?? 'v4'),
      ...(oss.path ? [env('ALIYUN_OSS_PATH', oss.path)] : []),
      secretEnv('ALIYUN_OSS_ACCESS_KEY', { name: oss.credentialsSecret, key: oss.accessKeyKey ?? 'access-key' }),
      secretEnv('ALIYUN_OSS_SECRET_KEY', { name: oss.credentialsSecret, key: oss.secretKeyKey ?? 'secret-key' }),
    ];
  },
};

/** S3 variables; without `keys`, Dify uses the pod's cloud identity (`S3_USE_AWS_MANAGED_IAM`). */
function s3Env(endpoint: string, bucket: string, region: string, addressStyle: string, keys?: { accessKey: KeyRef; secretKey: KeyRef }): k8s.EnvVar[] {
  return [
    env('STORAGE_TYPE', 's3'),
    env('S3_ENDPOINT', endpoint),
    env('S3_BUCKET_NAME', bucket),
    env('S3_REGION', region),
    env('S3_ADDRESS_STYLE', addressStyle),
    env('S3_USE_AWS_MANAGED_IAM', keys === undefined),
    ...(keys ? [secretEnv('S3_ACCESS_KEY', keys.accessKey), secretEnv('S3_SECRET_KEY', keys.secretKey)] : []),
  ];
}
