/** Where Dify keeps uploaded files (`dify.storage`), and the plugin daemon's own store (`dify.pluginStorage`). */
/** The embedded MinIO (the seed's choice): one pod with a volume, credentials generated in the cluster. */
export interface MinioSettings {
  /** @default '20Gi' */
  readonly size?: string;
  /** @default - the cluster's default StorageClass */
  readonly storageClass?: string;
  /** @default 'dify' */
  readonly bucket?: string;
}

/** An S3-compatible store the user runs, with credentials in a Secret they manage. */
export interface S3Settings {
  /** e.g. `https://s3.eu-west-1.amazonaws.com` or an in-cluster MinIO URL. */
  readonly endpoint: string;
  readonly bucket: string;
  /** @default 'us-east-1' */
  readonly region?: string;
  /** `path` for MinIO and most self-hosted stores; `virtual` for AWS. @default 'path' */
  readonly addressStyle?: 'path' | 'virtual';
  /** Secret with the access key and secret key; not with `useIamRole`. @default - required unless useIamRole */
  readonly credentialsSecret?: string;
  /**
   * Let Dify use the pod's cloud identity (IRSA, EKS Pod Identity: annotate the ServiceAccount) instead of keys.
   * @default false
   */
  readonly useIamRole?: boolean;
  /** @default 'access-key' */
  readonly accessKeyKey?: string;
  /** @default 'secret-key' */
  readonly secretKeyKey?: string;
}

/** Azure Blob Storage, the account key in a Secret. */
export interface AzureBlobSettings {
  readonly accountName: string;
  readonly containerName: string;
  /** @default - https://<accountName>.blob.core.windows.net */
  readonly accountUrl?: string;
  readonly credentialsSecret: string;
  /** @default 'account-key' */
  readonly accountKeyKey?: string;
}

/** Google Cloud Storage. */
export interface GoogleStorageSettings {
  readonly bucket: string;
  /**
   * A Secret with the service account's JSON key, base64-encoded. Without one, Dify uses Application Default
   * Credentials: the pod's Workload Identity (as Dify 1.16's google_cloud_storage.py reads it).
   * @default - the pod's identity
   */
  readonly credentialsSecret?: string;
  /** @default 'service-account-json-base64' */
  readonly serviceAccountJsonKey?: string;
}

/** Alibaba Cloud OSS, the access keys in a Secret. */
export interface AliyunOssSettings {
  readonly bucket: string;
  /** e.g. `https://oss-cn-hangzhou.aliyuncs.com`. */
  readonly endpoint: string;
  readonly region: string;
  /** @default 'v4' */
  readonly authVersion?: 'v1' | 'v4';
  /** A folder within the bucket (Dify 1.x). @default - the bucket's root */
  readonly path?: string;
  readonly credentialsSecret: string;
  /** @default 'access-key' */
  readonly accessKeyKey?: string;
  /** @default 'secret-key' */
  readonly secretKeyKey?: string;
}

/** A ReadWriteMany volume shared by api, worker and beat. */
export interface SharedVolumeSettings {
  /** @default '20Gi' */
  readonly size?: string;
  /** Must offer ReadWriteMany (NFS, CephFS, EFS...). @default - the cluster's default StorageClass */
  readonly storageClass?: string;
}

/** Where Dify keeps uploaded files; they must outlive pods and be shared by api and worker. */
export interface FileStorageSettings {
  /** @default 'minio' */
  readonly type?: 'minio' | 's3' | 'volume' | 'azure-blob' | 'google-storage' | 'aliyun-oss';
  readonly minio?: MinioSettings;
  readonly s3?: S3Settings;
  readonly azureBlob?: AzureBlobSettings;
  readonly googleStorage?: GoogleStorageSettings;
  readonly aliyunOss?: AliyunOssSettings;
  readonly volume?: SharedVolumeSettings;
}

/** The plugin daemon's own store (installed plugins, packages): a ReadWriteOnce volume, so one pod, Recreate. */
export interface PluginStorageSettings {
  /** @default '10Gi' */
  readonly size?: string;
  /** @default - the cluster's default StorageClass */
  readonly storageClass?: string;
}
