import { ComponentResources } from '../kubeblocks/component-settings';

/** An environment variable added to a container: a literal, or a key of a Secret or ConfigMap. */
export interface ExtraEnvVar {
  readonly name: string;
  readonly value?: string;
  readonly valueFrom?: {
    readonly secretKeyRef?: { readonly name: string; readonly key: string };
    readonly configMapKeyRef?: { readonly name: string; readonly key: string };
  };
}

/**
 * Where and how a Dify pod runs, as the community Helm charts name these settings. Values are Kubernetes objects as
 * you would write them in a pod spec; they reach the pod as written. Under `dify.pods` they apply to every Dify pod
 * (Jobs included); under a component (`dify.api`, `dify.agent.backend`...) they apply to its pods and win over
 * `dify.pods` key by key (maps such as `annotations` are merged; `extraVolumes` and `extraVolumeMounts` are joined,
 * a component's entry replacing one of the same name).
 */
export interface PodSettings {
  /** @default - none */
  readonly nodeSelector?: Readonly<Record<string, string>>;
  /** @default - none */
  readonly tolerations?: readonly Readonly<Record<string, unknown>>[];
  /** Merged with nothing: replaces the pod's affinity. @default - none */
  readonly affinity?: Readonly<Record<string, unknown>>;
  /** A constraint without a `labelSelector` gets the component's own pod labels. @default - none */
  readonly topologySpreadConstraints?: readonly Readonly<Record<string, unknown>>[];
  /** @default - the cluster's default priority */
  readonly priorityClassName?: string;
  /** Added to the pods (not to the Deployment). @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
  /** Added to the pods; the selector labels `app.kubernetes.io/name` and `/component` cannot be changed. @default {} */
  readonly labels?: Readonly<Record<string, string>>;
  /** Merged over the pod's own security context, key by key. @default - the component's (see each construct) */
  readonly securityContext?: Readonly<Record<string, unknown>>;
  /** Merged over the main container's security context, key by key. @default - the component's */
  readonly containerSecurityContext?: Readonly<Record<string, unknown>>;
  /** Added to the pod's volumes, e.g. a ConfigMap with a CA bundle; joined with `dify.pods`' by name. @default [] */
  readonly extraVolumes?: readonly Readonly<Record<string, unknown>>[];
  /** Added to the main container's mounts; each names a volume of the pod. @default [] */
  readonly extraVolumeMounts?: readonly Readonly<Record<string, unknown>>[];
}

/** Timings of a probe; the probe itself (its path or port) is the component's. */
export interface ProbeTimings {
  readonly initialDelaySeconds?: number;
  readonly periodSeconds?: number;
  readonly timeoutSeconds?: number;
  readonly failureThreshold?: number;
  readonly successThreshold?: number;
}

/** What a component with a Service and probes also takes. */
export interface ServingSettings {
  /** @default - ClusterIP, no annotations */
  readonly service?: { readonly type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer'; readonly annotations?: Readonly<Record<string, string>> };
  /** Merged over the component's probe. @default - the component's */
  readonly livenessProbe?: ProbeTimings;
  /** Merged over the component's probe. @default - the component's */
  readonly readinessProbe?: ProbeTimings;
  /** A startup probe that checks what the readiness probe checks, with these timings. @default - none */
  readonly startupProbe?: ProbeTimings;
}

/**
 * A HorizontalPodAutoscaler (autoscaling/v2) for api, web, worker or sandbox: the Deployment then leaves its replica
 * count to it, and the PodDisruptionBudget follows `minReplicas`.
 */
export interface AutoscalingSettings {
  /** @default 1 */
  readonly minReplicas?: number;
  readonly maxReplicas: number;
  /** @default - not on CPU */
  readonly targetCPUUtilizationPercentage?: number;
  /** @default - not on memory */
  readonly targetMemoryUtilizationPercentage?: number;
}

/** The identity a component's pods run as, e.g. for IRSA (`eks.amazonaws.com/role-arn`) or GKE Workload Identity. */
export interface ServiceAccountSettings {
  /** Create the ServiceAccount (with `annotations`), or use one that exists (`name`). @default false */
  readonly create?: boolean;
  /** @default - `dify-<component>` when created; required otherwise */
  readonly name?: string;
  /** @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** Settings every Dify component has. */
/** The Celery worker. */
export interface WorkerSettings extends DifyComponentSettings {
  /**
   * Tasks one worker pod runs at once: `CELERY_WORKER_AMOUNT`, the `-c` of the api image's entrypoint, greenlets of
   * its default gevent pool. Unset, the entrypoint runs one (`-c ${CELERY_WORKER_AMOUNT:-1}`): one slow indexing job
   * holds up every other task. Raise it with the worker's memory (each running task holds its documents).
   * @default 4, as Dify's docker-compose file
   */
  readonly concurrency?: number;
}

export interface DifyComponentSettings extends PodSettings, ServingSettings {
  /**
   * Run the pods as this ServiceAccount. Its token is still not mounted: no Dify component calls the Kubernetes
   * API, and cloud identities (IRSA, Workload Identity) bring their own token.
   * @default - the namespace's default ServiceAccount, no token
   */
  readonly serviceAccount?: ServiceAccountSettings;
  /** api, web, worker and sandbox only. @default - a fixed replica count */
  readonly autoscaling?: AutoscalingSettings;
  /** @default - 1, or 2 for api and web */
  readonly replicas?: number;
  /**
   * A side left out comes from the side given (raising a request raises its limit), then from the defaults.
   * @default - per component, sized for a small cluster (COMPONENT_DEFAULTS in lib/dify/dify-config.ts)
   */
  readonly resources?: ComponentResources;
  /** Extra environment for this component, after the generated variables (a name given twice: the last wins). */
  readonly env?: readonly ExtraEnvVar[];
}

/** The plugin daemon (Dify 1.0 and later); one replica, as its volume is ReadWriteOnce. */
export interface PluginDaemonSettings extends DifyComponentSettings {
  /**
   * The largest plugin package that can be installed, as a quantity (`50Mi`). Set equally on the api and worker
   * (`PLUGIN_MAX_PACKAGE_SIZE`, whose own default is 15 MB) and on the daemon (`MAX_PLUGIN_PACKAGE_SIZE`), so
   * neither refuses what the other accepts.
   * @default '50Mi' (52428800 bytes, the daemon's default and Dify's compose file)
   */
  readonly maxPackageSize?: string;
}

/**
 * Workflow collaboration (Dify 1.14.1 and later): the `api_websocket` service, an api pod with the websocket
 * worker class, takes `/socket.io/` on the public host.
 */
export interface CollaborationSettings extends DifyComponentSettings {
  /** @default false */
  readonly enabled?: boolean;
}

/**
 * Agent v2 (Dify 1.16.1 and later): the agent backend, the local sandbox its agents run shell jobs in, and that
 * sandbox's egress proxy. Tokens are generated in the cluster like the other keys.
 */
export interface AgentSettings {
  /** @default false */
  readonly enabled?: boolean;
  /** The agent backend (one replica by default). */
  readonly backend?: DifyComponentSettings;
  /** The local sandbox that runs agents' shell jobs. */
  readonly localSandbox?: DifyComponentSettings & {
    /**
     * Size of the scratch volume for the agents' homes and shellctl's state, which Dify 1.16 does not keep across
     * pod restarts.
     * @default '10Gi'
     */
    readonly scratchSize?: string;
  };
  /** The squid that is the local sandbox's only way out. */
  readonly ssrfProxy?: DifyComponentSettings;
}

/** Private destinations the SSRF proxy lets the sandbox and the api reach, which it refuses otherwise. */
export interface AllowPrivateSettings {
  /** Addresses or CIDR ranges, e.g. `10.20.0.0/16`. @default [] */
  readonly ips?: readonly string[];
  /** Host names; a leading dot includes the subdomains, e.g. `.corp.example.com`. @default [] */
  readonly domains?: readonly string[];
}

/** The code sandbox. */
export interface SandboxSettings extends DifyComponentSettings {
  /** Python packages code may import, pinned (`numpy==1.26.4`); the sandbox installs them at start. @default [] */
  readonly pythonRequirements?: readonly string[];
}

/** The SSRF proxy (sandbox and api egress). */
export interface SsrfProxySettings extends DifyComponentSettings {
  /** @default - no private destination */
  readonly allowPrivate?: AllowPrivateSettings;
}

/** The app Secret filled from a secret manager by External Secrets. */
export interface ExternalSecretSettings {
  /** The SecretStore or ClusterSecretStore to read from. */
  readonly secretStoreRef: { readonly name: string; readonly kind?: 'SecretStore' | 'ClusterSecretStore' };
  /** The secret in the manager whose keys become the app Secret's. */
  readonly remoteKey: string;
  /** @default '1h' */
  readonly refreshInterval?: string;
}

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

export interface IngressSettings {
  /** @default true */
  readonly enabled?: boolean;
  /** @default 'nginx' */
  readonly className?: string;
  /** Added to the Ingress, e.g. `cert-manager.io/cluster-issuer`. @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
  /** More hosts with the same routes (and in the TLS section); public URLs keep `dify.host`. @default [] */
  readonly extraHosts?: readonly string[];
}

/** A Gateway API HTTPRoute with the same routes as the Ingress; with or without the Ingress. */
export interface GatewaySettings {
  /** The Gateways (or their listeners) the route attaches to, as Gateway API's `parentRefs`. */
  readonly parentRefs: readonly { readonly name: string; readonly namespace?: string; readonly sectionName?: string; readonly port?: number }[];
  /** @default - dify.host and dify.ingress.extraHosts */
  readonly hostnames?: readonly string[];
  /** @default {} */
  readonly annotations?: Readonly<Record<string, string>>;
}

export interface TlsSettings {
  /** Serve HTTPS at the Ingress; public URLs become `https://`. @default false */
  readonly enabled?: boolean;
  /** Secret holding the certificate (cert-manager can create it). Required when TLS is enabled. */
  readonly secretName?: string;
}

/** Image references that replace the pinned defaults, e.g. for a registry mirror. */
export interface ImageSettings {
  readonly api?: string;
  readonly web?: string;
  readonly sandbox?: string;
  readonly pluginDaemon?: string;
  readonly ssrfProxy?: string;
  /** Agent v2's backend (langgenius/dify-agent-backend). */
  readonly agentBackend?: string;
  /** Agent v2's local sandbox (langgenius/dify-agent-local-sandbox). */
  readonly localSandbox?: string;
  readonly minio?: string;
  /** Runs the database Job and the api's wait-for-database init container (needs psql and pg_isready). */
  readonly postgres?: string;
  /** Runs the secrets bootstrap Job (needs sh and curl). */
  readonly bootstrap?: string;
}

/**
 * The community Dify Helm chart as the app tier (instead of the native constructs): rendered with `helm template` at
 * synth time, wired to the data tier by the platform's values, and hardened (lib/dify/chart). Give `path`, or `repo`,
 * `name` and an exact `version`. Tested with the douban charts 0.4.1 and 0.9.1 and BorisPolonsky's dify-helm 0.38.0-rc2.
 */
export interface DifyChartSettings {
  /**
   * Whose chart it is, which decides the values the platform writes for it: `douban` (douban/charts `dify`, 0.4.x to
   * 0.9.x) or `boris` (BorisPolonsky/dify-helm).
   * @default - boris for a chart from https://borispolonsky.github.io/dify-helm, else douban
   */
  readonly family?: 'douban' | 'boris';
  /** A chart folder, as `helm pull --untar` leaves it; a relative path is relative to the project root. */
  readonly path?: string;
  /** The chart repository: `https://...` (as `helm repo add` takes it) or `oci://registry/path`. */
  readonly repo?: string;
  /** The chart's name in `repo`. */
  readonly name?: string;
  /** The exact chart version; a range is refused, so a synth never picks up a chart nobody reviewed. */
  readonly version?: string;
  /**
   * The chart's values for everything the platform does not decide, merged over the platform's. Env lists are
   * joined with the platform's; settings the platform owns (host, TLS, ingress class, databases, images) are refused.
   * @default {}
   */
  readonly values?: Readonly<Record<string, unknown>>;
}

/** The Dify application tier. */
export interface DifySettings {
  /**
   * Render the app tier from a community Helm chart instead of the native constructs; `version` is then required.
   * @default - the native constructs
   */
  readonly chart?: DifyChartSettings;
  /**
   * The Dify release. Changing it upgrades: the new version's migration Job runs before its workloads roll. Going
   * back is refused by synth (migrations cannot be rolled back) unless `allowDestructive` lists `difyDowngrade`.
   * @default '1.16.1'
   */
  readonly version?: string;
  /** Public host name of the console and APIs. @default 'dify.example.com' */
  readonly host?: string;
  readonly tls?: TlsSettings;
  readonly ingress?: IngressSettings;
  /** @default - no HTTPRoute */
  readonly gateway?: GatewaySettings;
  /**
   * `direct` talks to the Redis primary Service; `sentinel` makes api, Celery and the plugin daemon follow Sentinel
   * (REDIS_HOST stays on the primary Service: Dify's event bus ignores Sentinel).
   * @default 'direct'
   */
  readonly redisMode?: 'direct' | 'sentinel';
  /**
   * A Secret you manage (External Secrets, Sealed Secrets) with the keys SECRET_KEY, SANDBOX_API_KEY,
   * PLUGIN_DAEMON_KEY, INNER_API_KEY_FOR_PLUGIN (and MINIO_ROOT_USER, MINIO_ROOT_PASSWORD with embedded MinIO;
   * AGENT_API_TOKEN, LOCAL_SANDBOX_TOKEN and AGENT_SERVER_SECRET_KEY, unpadded base64url of exactly 32 random bytes,
   * with Agent v2).
   * @default - a bootstrap Job generates `dify-app-secrets` in the cluster when it is missing
   */
  readonly existingSecret?: string;
  /**
   * Fill the app Secret `dify-app-secrets` from a secret manager (an ExternalSecret) instead of generating it.
   * @default - generated in the cluster
   */
  readonly externalSecret?: ExternalSecretSettings;
  readonly storage?: FileStorageSettings;
  readonly pluginStorage?: PluginStorageSettings;
  readonly images?: ImageSettings;
  /** Extra environment for api, worker, beat and the migration Job. */
  readonly backendEnv?: readonly ExtraEnvVar[];
  /** Where and how every Dify pod runs, Jobs included; a component's own settings win key by key. @default - none */
  readonly pods?: PodSettings;
  /**
   * A registry that every image the platform runs is pulled from instead of its own (a mirror or pull-through
   * cache): `registry.example.com/mirror` turns `langgenius/dify-api:1.16.1` into
   * `registry.example.com/mirror/langgenius/dify-api:1.16.1` and `quay.io/minio/minio:...` into
   * `registry.example.com/mirror/minio/minio:...`. Images given under `images` are used as written.
   * @default - each image's own registry
   */
  readonly imageRegistry?: string;
  /** Secrets every Dify pod pulls its images with. @default [] */
  readonly imagePullSecrets?: readonly string[];
  /** @default 'IfNotPresent' (every image is pinned, so a node's copy is the right one) */
  readonly imagePullPolicy?: 'IfNotPresent' | 'Always' | 'Never';
  readonly api?: DifyComponentSettings;
  readonly worker?: WorkerSettings;
  /** Celery beat runs exactly one replica. */
  readonly beat?: DifyComponentSettings;
  readonly web?: DifyComponentSettings;
  readonly sandbox?: SandboxSettings;
  readonly pluginDaemon?: PluginDaemonSettings;
  readonly ssrfProxy?: SsrfProxySettings;
  /** @default - off */
  readonly collaboration?: CollaborationSettings;
  /** @default - off */
  readonly agent?: AgentSettings;
}
