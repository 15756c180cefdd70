/**
 * What a Dify pod takes, wherever it runs (`dify.pods` or a component): its environment, placement, probes' timings,
 * Service, autoscaling and ServiceAccount.
 */
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
  /**
   * Merged key by key over the pod's own: `nodeAffinity` keeps the serving components' anti-affinity,
   * `podAntiAffinity: {}` drops it.
   * @default - api, web, worker, the plugin daemon, the websocket api and the agent backend prefer a node without
   * another pod of theirs (weight 100, as the databases); none for the others
   */
  readonly affinity?: Readonly<Record<string, unknown>>;
  /**
   * Replaces the pod's own; `[]` leaves the scheduler's defaults. A constraint without a `labelSelector` gets the
   * component's own pod labels.
   * @default - the same components spread by `kubernetes.io/hostname` and `topology.kubernetes.io/zone`, maxSkew 1,
   * ScheduleAnyway; none for the others
   */
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

/**
 * The ServiceAccount pods run as: the identity a cloud gives them (IRSA's `eks.amazonaws.com/role-arn`, GKE's
 * `iam.gke.io/gcp-service-account`, Azure's `azure.workload.identity/client-id`), made here or one that exists.
 * Its Kubernetes API token is still not mounted: no Dify component calls the Kubernetes API, and the clouds' webhooks
 * and metadata servers bring their own credential (docs/security.md).
 */
export interface ServiceAccountSettings {
  /** Create the ServiceAccount (with `annotations`), or use one that exists (`name`). @default false */
  readonly create?: boolean;
  /** @default - `dify` under `dify.pods`, `dify-<component>` under a component, when created; required otherwise */
  readonly name?: string;
  /**
   * On the ServiceAccount made here (only with `create: true`). With `azure.workload.identity/client-id`, the pods
   * that run as it also get the label `azure.workload.identity/use: "true"`, which Azure's webhook selects pods by.
   * @default {}
   */
  readonly annotations?: Readonly<Record<string, string>>;
}

/** `dify.pods`: what every Dify pod takes, and the one identity of the pods that run Dify's api code. */
export interface DifyPodsSettings extends PodSettings {
  /**
   * The identity of the pods that reach the file storage with Dify's api code: api, worker, beat, the websocket api,
   * and the migration and data-migration Jobs (which load the whole api application, file storage included). A
   * component's own `serviceAccount` wins over it (the api's is its Jobs' too). Not given to web, the plugin daemon
   * (its plugins are third-party code) or the agent backend, which do not use the storage, nor to the sandboxes and
   * SSRF proxies, which run or relay untrusted code; give one of them an identity with its own `serviceAccount`.
   * @default - the namespace's default ServiceAccount, no token
   */
  readonly serviceAccount?: ServiceAccountSettings;
}
