/** The settings of each native Dify component (`dify.api`, `dify.worker`, `dify.agent`...). */
import { ComponentResources } from '../kubeblocks/component-settings';
import { AutoscalingSettings, ExtraEnvVar, PodSettings, ServiceAccountSettings, ServingSettings } from './pod-settings';

/** Settings every Dify component has. */
export interface DifyComponentSettings extends PodSettings, ServingSettings {
  /**
   * Run the pods as this ServiceAccount, instead of `dify.pods.serviceAccount` where that applies. Its token is
   * still not mounted: no Dify component calls the Kubernetes API, and cloud identities bring their own credential.
   * @default - `dify.pods.serviceAccount` for api, worker, beat and the websocket api; else the namespace's default, no token
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

/** The Celery worker. */
export interface WorkerSettings extends DifyComponentSettings {
  /**
   * Tasks one worker pod runs at once: `CELERY_WORKER_AMOUNT`, the `-c` of the api image's entrypoint, greenlets of
   * its default gevent pool. Unset, the entrypoint runs one (`-c ${CELERY_WORKER_AMOUNT:-1}`): one slow indexing job
   * holds up every other task. Raise it with the worker's memory (each running task holds its documents).
   * @default 4, as Dify's docker-compose file
   */
  readonly concurrency?: number;
  /**
   * More worker Deployments, each consuming the queues it names (`dify-worker-<name>`, its own replicas, resources,
   * autoscaling and placement). The default worker `dify-worker` consumes every queue of the version that no pool
   * names, so each queue has exactly one consumer; it must keep at least one.
   * @default [] (one worker consumes every queue)
   */
  readonly pools?: readonly WorkerPoolSettings[];
}

/**
 * A worker Deployment of its own for some queues (`dify.worker.pools`), e.g. dataset indexing apart from workflows.
 * It takes `dify.pods` under its own settings, not those of `dify.worker`, and `dify.backendEnv` as every worker does.
 */
export interface WorkerPoolSettings extends DifyComponentSettings {
  /** A DNS label of at most 51 characters: the Deployment is `dify-worker-<name>`, a DNS label too. */
  readonly name: string;
  /** The Celery queues it consumes, each a queue of the Dify version that no other pool names. */
  readonly queues: readonly string[];
  /** Tasks one pod of the pool runs at once (`CELERY_WORKER_AMOUNT`), as `dify.worker.concurrency`. @default 4 */
  readonly concurrency?: number;
  /** @default 1 */
  readonly replicas?: number;
  /** @default - the default worker's (COMPONENT_DEFAULTS.worker in lib/dify/dify-config.ts), not dify.worker.resources */
  readonly resources?: ComponentResources;
  /** A HorizontalPodAutoscaler of the pool's Deployment. @default - a fixed replica count */
  readonly autoscaling?: AutoscalingSettings;
  /** Extra environment for the pool's pods, after dify.backendEnv (dify.worker.env is the default worker's only). @default [] */
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
