/**
 * `dify`: the app tier's settings, as a config file's `dify` section holds them. The components' own settings are in
 * dify-component-settings.ts, what every pod takes in pod-settings.ts, the file stores in storage-settings.ts.
 */
import {
  AgentSettings, CollaborationSettings, DifyComponentSettings, PluginDaemonSettings, SandboxSettings, SsrfProxySettings, WorkerSettings,
} from './dify-component-settings';
import { EgressProxySettings } from './egress-proxy-settings';
import { DifyPodsSettings, ExtraEnvVar } from './pod-settings';
import { FileStorageSettings, PluginStorageSettings } from './storage-settings';

/** The app Secret filled from a secret manager by External Secrets. */
export interface ExternalSecretSettings {
  /** The SecretStore or ClusterSecretStore to read from. */
  readonly secretStoreRef: { readonly name: string; readonly kind?: 'SecretStore' | 'ClusterSecretStore' };
  /** The secret in the manager whose keys become the app Secret's. */
  readonly remoteKey: string;
  /** @default '1h' */
  readonly refreshInterval?: string;
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
  /**
   * A corporate HTTP proxy for Dify's own calls to the internet (model providers, the marketplace, plugin installs);
   * the sandboxes reach it only through their SSRF proxy. Both app tiers take it.
   * @default - no proxy: the pods reach the internet directly
   */
  readonly egressProxy?: EgressProxySettings;
  /**
   * Where and how every Dify pod runs, Jobs included, and the identity of those that run Dify's api code; a
   * component's own settings win key by key. @default - none
   */
  readonly pods?: DifyPodsSettings;
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
