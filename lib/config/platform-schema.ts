/**
 * The one place that says no: every setting of a platform, from a YAML config file or from props in code, is checked
 * here, and each problem is reported with the path of the setting, the value and what is allowed.
 */
import { isIP } from 'net';
import { z } from 'zod';
import { DIFY_RELEASES } from '../dify/features';
import { CHART_FAMILIES } from '../dify/chart/chart-family';
import { BACKUP_PROVIDERS, STORAGE_PROVIDERS, StorageProviderFacts } from '../kubeblocks/storage-providers';
import { CLUSTER_FORMS, isBroughtIn } from '../kubeblocks/external-databases';
import { SSL_MODES } from '../kubeblocks/connections';
import { PGVECTOR_DEFAULT_VERSION, VECTOR_STORES, VECTOR_STORES_NOT_YET } from '../kubeblocks/pgvector';
import { GUARD_RULE_IDS } from '../guard-rails/guard-rails';
import { DifyPlatformProps } from '../dify-platform-props';
import { DNS_LABEL_PATTERN, MAX_COMPONENT_NAME, MAX_DNS_LABEL } from '../kubeblocks/naming';
import { ALL_TERMINATION_POLICIES, RELEASE_LINE_NAMES, ReleaseLine, TerminationPolicy } from '../kubeblocks/release-lines';
import { ConfigError, formatProblem } from './config-error';
import { crossFieldIssues, settingPath } from './cross-checks';
import {
  CONFIG_KEY, DNS_1123_LABEL, ENV_NAME, isHostName, isPinnedImage, isQualifiedName, MAX_SUBDOMAIN, parseImageReference,
} from './grammar';
import { QUANTITY, quantityValue } from '../quantity';
import { isAddressOrRange, opensEverythingOrProtected, SYSTEM_NAMESPACES, urlCredentialProblem } from './grammar';
import { cronProblem } from './cron';
import { labelMap, podSettingsShape, schedulingShape, userLabelMap } from './pod-schema';
import { dnsSubdomain, section } from './schema-parts';
import { usableSettings } from './usable-settings';

/** A version such as 16.9.0. */
const VERSION = /^\d+\.\d+\.\d+$/;

/**
 * The most replicas a setting takes: what makes sense for the engine or component, far below int32. A typo such as
 * 999999999 is refused here instead of reaching the API server (or exhausting memory while synthesizing).
 */
export const MAX_REPLICAS = {
  /** Streaming replicas of one primary: more than a handful only adds replication load. */
  postgresql: 16,
  /** Replicas of one Redis primary. */
  redis: 16,
  /** Raft peers: Qdrant scales out by adding peers. */
  qdrant: 64,
  /** Sentinels: an odd quorum; more than 9 only slows failover agreement. */
  sentinel: 9,
  /** A Dify Deployment. */
  dify: 100,
  /** Milvus standalone runs one pod. */
  milvus: 1,
} as const;

/** The largest quantity Kubernetes can store (its int64 in milli-units). */
const MAX_QUANTITY = 2 ** 63 / 1000;

/** A positive Kubernetes quantity: negative, zero and unrepresentable sizes are refused. */
const quantity = (example: string) => z.union([z.string(), z.number()], { error: `must be a Kubernetes quantity such as ${example}` })
  .transform(String)
  .pipe(z.string().regex(QUANTITY, {
    error: `must be a Kubernetes quantity such as ${example} (suffixes: m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei)`,
  }).refine((text) => !QUANTITY.test(text) || quantityValue(text) > 0, { error: `must be more than 0, such as ${example}` })
    .refine((text) => !QUANTITY.test(text) || quantityValue(text) < MAX_QUANTITY, { error: `must be a size Kubernetes can hold, such as ${example}` }));

/**
 * A size in bytes (memory, a volume): a quantity of at least 1Mi, never in milli-units. `512m` of memory is half a
 * kilobyte of thousandths of a byte, almost always a mistyped `512Mi`; below 1Mi no container or volume is usable.
 * A binary fraction such as the seed's `0.2Gi` passes: Kubernetes rounds it up to the next whole byte.
 */
const bytes = (example: string) => quantity(example)
  .refine((text) => !QUANTITY.test(text) || !/m$/.test(text), { error: `must not be in milli-units (m): did you mean Mi? such as ${example}` })
  .refine((text) => !QUANTITY.test(text) || /m$/.test(text) || quantityValue(text) <= 0 || quantityValue(text) >= 2 ** 20, { error: `must be at least 1Mi, such as ${example}` });

/** A URL that carries no credential (grammar.ts). */
const url = (pattern: RegExp, message: string) => z.string({ error: 'must be a URL' }).regex(pattern, { error: message })
  .superRefine((text, ctx) => {
    const problem = urlCredentialProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', input: '(hidden)', message: `${problem}: give the URL without it and the credential through the setting's Secret` });
  });
const httpUrl = () => url(/^https?:\/\/[^\s]+$/, 'must be an http:// or https:// URL');

/** A whole number between `min` and `max`. */
function wholeNumber(min: number, max: number, why = '') {
  const message = `must be a whole number from ${min} to ${max}${why}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
}

const replicas = (max: number) => wholeNumber(1, max);

const sentinelReplicas = wholeNumber(3, MAX_REPLICAS.sentinel, ', odd (a Sentinel quorum is a majority)')
  .refine((n) => n % 2 === 1, { error: `must be an odd whole number from 3 to ${MAX_REPLICAS.sentinel} (a Sentinel quorum is a majority)` });

const dnsLabel = (what: string) => z.string({ error: `must be a ${what}: lowercase letters, digits and '-', starting with a letter` })
  .regex(DNS_LABEL_PATTERN, { error: `must be a ${what}: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit` })
  .max(MAX_DNS_LABEL, { error: `must be a ${what} of at most ${MAX_DNS_LABEL} characters` });

const componentName = dnsLabel('component name')
  .max(MAX_COMPONENT_NAME, { error: `must be at most ${MAX_COMPONENT_NAME} characters (KubeBlocks' limit for component names)` });

const resources = section({
  requests: section({ cpu: quantity('500m or 1').optional(), memory: bytes('512Mi or 2Gi').optional() }).optional(),
  limits: section({ cpu: quantity('500m or 1').optional(), memory: bytes('512Mi or 2Gi').optional() }).optional(),
});

const storage = section({
  size: bytes('20Gi').optional(),
  storageClass: dnsSubdomain('StorageClass name').optional(),
});

const spread = section({
  antiAffinity: z.enum(['Preferred', 'Required', 'None'], { error: 'must be one of Preferred, Required, None' }).optional(),
  topologyKeys: z.array(z.string().refine(isQualifiedName, { error: 'must be a node label key such as kubernetes.io/hostname' }),
    { error: 'must be a list of node label keys' }).optional(),
});

const clusterSettings = (maxReplicas: number) => ({
  replicas: replicas(maxReplicas).optional(),
  resources: resources.optional(),
  storage: storage.optional(),
  name: dnsLabel('cluster name').optional(),
  version: z.string({ error: 'must be a version string such as "16.9.0" (quote it in YAML)' })
    .regex(VERSION, { error: 'must be a version such as "16.9.0"' }).optional(),
  terminationPolicy: z.enum(ALL_TERMINATION_POLICIES as [TerminationPolicy, ...TerminationPolicy[]], {
    error: `must be one of ${ALL_TERMINATION_POLICIES.join(', ')}`,
  }).optional(),
  spread: spread.optional(),
  componentName: componentName.optional(),
  scheduling: section(schedulingShape).optional(),
  backup: section({
    enabled: z.boolean({ error: 'must be true or false' }).optional(),
    schedule: z.string({ error: 'must be a cron expression' }).superRefine((expression, ctx) => {
      const problem = cronProblem(expression);
      if (problem) ctx.addIssue({ code: 'custom', input: expression, message: `must be a cron expression of five fields such as "0 18 * * *" (UTC): ${problem}` });
    }).optional(),
    retention: z.string({ error: 'must be a period' }).regex(/^(\d+(y|mo|d|h|m))+$/, { error: 'must be a period such as 7d, 1mo or 12h' })
      .refine((period) => /[1-9]/.test(period), { error: 'must be longer than 0: a retention of 0 would delete each backup as soon as it is taken' }).optional(),
    method: z.string({ error: 'must be a backup method name' }).optional(),
    pitr: z.boolean({ error: 'must be true or false' }).optional(),
    repo: dnsSubdomain('BackupRepo name').optional(),
  }).optional(),
  restoreFrom: section({
    backup: dnsSubdomain('Backup name'),
    namespace: dnsLabel('namespace name').optional(),
    pointInTime: z.string({ error: 'must be a time' })
      .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/, { error: 'must be a UTC time in RFC 3339 such as 2026-11-24T03:00:00Z' })
      .refine(isCalendarTime, { error: 'must be a time that exists (a real day of its month, hours to 23, minutes and seconds to 59)' }).optional(),
  }).optional(),
});

const sentinel = section({
  replicas: sentinelReplicas.optional(), resources: resources.optional(), storage: storage.optional(), componentName: componentName.optional(),
  scheduling: section(schedulingShape).optional(),
});

const keyRef = section({
  name: dnsSubdomain('Secret or ConfigMap name'),
  key: z.string({ error: 'must be a key name' }).regex(CONFIG_KEY, { error: "must be a key name: letters, digits, '-', '_' and '.'" })
    .max(MAX_SUBDOMAIN, { error: `must be a key name of at most ${MAX_SUBDOMAIN} characters` }),
});

/** A server's DNS name or IP address (an RDS endpoint, a Memorystore address). */
const serverHost = z.string({ error: 'must be a DNS name or an IP address' })
  .refine((host) => isHostName(host) || isIP(host) !== 0, { error: 'must be a DNS name or an IP address, without scheme or port' });
const port = wholeNumber(1, 65535).optional();
/** A database the platform does not run: a KubeBlocks cluster that exists in its namespace, or an external server. */
const existingCluster = z.union([
  dnsLabel('cluster name'),
  section({
    name: dnsLabel('cluster name'),
    form: z.enum(CLUSTER_FORMS).optional(),
  }),
], { error: `must be a cluster name, or { name, form } with form one of ${CLUSTER_FORMS.join(', ')} (legacy: a 0.9 cluster whose components set componentDefRef)` });
const broughtIn = <T extends z.ZodTypeAny>(external: T) => ({
  existingCluster: existingCluster.optional(),
  external: external.optional(),
});
/** libpq's certificate-checking modes, refused with their reason. */
const VERIFYING_SSL_MODES = ['verify-ca', 'verify-full'];
const externalPostgresql = section({
  host: serverHost, port, credentialsSecret: dnsSubdomain('Secret name'),
  usernameKey: keyRef.shape.key.optional(), passwordKey: keyRef.shape.key.optional(),
  sslMode: z.enum(SSL_MODES, { error: (issue) => VERIFYING_SSL_MODES.includes(String(issue.input))
    ? `must be one of ${SSL_MODES.join(', ')}: verify-ca and verify-full need a CA certificate, which no container here is given, and the plugin daemon takes only disable or require`
    : `must be one of ${SSL_MODES.join(', ')}` }).optional(),
});
const externalRedis = section({
  host: serverHost, port, credentialsSecret: dnsSubdomain('Secret name'),
  usernameKey: keyRef.shape.key.optional(), passwordKey: keyRef.shape.key.optional(),
});
const externalQdrant = section({
  url: httpUrl(),
  apiKeySecret: keyRef.optional(),
});

const envEntry = section({
  name: z.string({ error: 'must be a variable name' }).regex(ENV_NAME, { error: 'must be a variable name: letters, digits, _ . -, not starting with a digit' }),
  value: z.string({ error: 'must be a string (quote numbers and booleans in YAML)' }).optional(),
  valueFrom: section({ secretKeyRef: keyRef.optional(), configMapKeyRef: keyRef.optional() })
    .refine((from) => Object.keys(from).length === 1, { error: 'must name exactly one source: secretKeyRef or configMapKeyRef' }).optional(),
}).refine((entry) => !(entry.value !== undefined && entry.valueFrom !== undefined), {
  error: 'must have either value or valueFrom, not both',
});
const extraEnv = z.array(envEntry, { error: 'must be a list of {name, value} or {name, valueFrom}' });

const image = z.string({ error: 'must be an image reference' })
  .refine((ref) => parseImageReference(ref) !== undefined, {
    error: 'must be an image reference such as registry.example.com/team/dify-api:1.13.3 (lowercase repository)',
  })
  .refine((ref) => parseImageReference(ref) === undefined || isPinnedImage(ref), {
    error: 'must be a pinned image: repository:tag (not latest) or repository@sha256:digest',
  });

const annotations = z.record(z.string(), z.string({ error: 'must be a string (quote it in YAML)' }), { error: 'must be a mapping of annotation names to strings' })
  .superRefine((map, ctx) => {
    for (const key of Object.keys(map).filter((name) => !isQualifiedName(name))) {
      ctx.addIssue({ code: 'custom', path: [key], input: key,
        message: 'must be an annotation name such as example.com/setting (a DNS prefix, "/", and a name of at most 63 letters, digits, "-", "_" and ".")' });
    }
  });

const difyComponent = {
  ...podSettingsShape,
  serviceAccount: section({
    create: z.boolean({ error: 'must be true or false' }).optional(),
    name: dnsSubdomain('ServiceAccount name').optional(),
    annotations: annotations.optional(),
  }).refine((account) => account.create || account.name !== undefined, {
    error: 'needs create: true, or the name of a ServiceAccount that exists',
  }).optional(),
  replicas: replicas(MAX_REPLICAS.dify).optional(),
  resources: resources.optional(),
  env: extraEnv.optional(),
};
const singleReplica = z.literal(1, { error: 'must be 1: this component must never run twice at once' }).optional();

const seconds = (min: number) => wholeNumber(min, 3600);
const probeTimingShape = {
  initialDelaySeconds: seconds(0).optional(), periodSeconds: seconds(1).optional(), timeoutSeconds: seconds(1).optional(),
  failureThreshold: wholeNumber(1, 100).optional(), successThreshold: wholeNumber(1, 100).optional(),
};
const probeTimings = section(probeTimingShape);
/** The API server refuses any other successThreshold on a liveness or startup probe: one success is the verdict. */
const onceProbeTimings = section({
  ...probeTimingShape,
  successThreshold: z.literal(1, { error: 'must be 1 for a liveness or startup probe (Kubernetes refuses any other)' }).optional(),
});
/** What a component with a Service and probes also takes. */
const serving = {
  service: section({
    type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer'], { error: 'must be one of ClusterIP, NodePort, LoadBalancer' }).optional(),
    annotations: annotations.optional(),
  }).optional(),
  livenessProbe: onceProbeTimings.optional(),
  readinessProbe: probeTimings.optional(),
  startupProbe: onceProbeTimings.optional(),
};
const percent = wholeNumber(1, 100);
const autoscaling = section({
  minReplicas: replicas(MAX_REPLICAS.dify).optional(),
  maxReplicas: replicas(MAX_REPLICAS.dify),
  targetCPUUtilizationPercentage: percent.optional(),
  targetMemoryUtilizationPercentage: percent.optional(),
}).superRefine((hpa, ctx) => {
  if ((hpa.minReplicas ?? 1) > hpa.maxReplicas) {
    ctx.addIssue({ code: 'custom', path: ['maxReplicas'], input: hpa.maxReplicas, message: `must be at least minReplicas (${hpa.minReplicas})` });
  }
  if (hpa.targetCPUUtilizationPercentage === undefined && hpa.targetMemoryUtilizationPercentage === undefined) {
    ctx.addIssue({ code: 'custom', input: hpa, message: 'needs targetCPUUtilizationPercentage or targetMemoryUtilizationPercentage: what to scale on' });
  }
});
/** A component that must run exactly one pod cannot autoscale: say so rather than "unknown setting". */
const noAutoscaling = z.never({ error: 'is not allowed here: this component runs exactly one replica' }).optional();

const hostName = z.string({ error: 'must be a DNS name' }).refine(isHostName, {
  error: 'must be a DNS name such as dify.example.com (lowercase, labels of at most 63 characters, no scheme, no port, no IP address)',
});

/** A chart version as `helm` pins it: exact, no range. */
const CHART_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

const chartSection = section({
  family: z.enum(CHART_FAMILIES, { error: `must be one of ${CHART_FAMILIES.join(', ')}: whose chart it is` }).optional(),
  path: z.string({ error: 'must be the path of a chart folder' }).min(1, { error: 'must be the path of a chart folder' }).optional(),
  repo: url(/^(https?|oci):\/\/[^\s]+$/, 'must be a chart repository URL: https://... or oci://...').optional(),
  name: z.string({ error: 'must be a chart name' }).regex(/^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/, { error: 'must be a chart name such as dify' }).optional(),
  version: z.string({ error: 'must be an exact chart version such as 0.9.1' }).regex(CHART_VERSION, {
    error: 'must be an exact chart version such as 0.9.1 (a range would render whatever the repository serves next)',
  }).optional(),
  values: z.record(z.string(), z.unknown(), { error: 'must be a mapping of the chart\'s values' }).optional(),
}).superRefine((chart, ctx) => {
  const fromRepo = chart.repo !== undefined || chart.name !== undefined || chart.version !== undefined;
  if (chart.path !== undefined && fromRepo) {
    ctx.addIssue({ code: 'custom', path: ['path'], input: chart.path, message: 'is one way to name the chart and repo, name, version another: give one of them' });
  } else if (chart.path === undefined && !fromRepo) {
    ctx.addIssue({ code: 'custom', path: ['path'], input: undefined, message: 'a chart is named by path (a chart folder), or by repo, name and an exact version' });
  } else if (chart.path === undefined) {
    for (const key of ['repo', 'name', 'version'] as const) {
      if (chart[key] === undefined) {
        ctx.addIssue({ code: 'custom', path: [key], input: undefined, message: 'a repository chart needs repo, name and an exact version' });
      }
    }
  }
});

const difySection = section({
  chart: chartSection.optional(),
  version: z.string({ error: 'must be a version string' }).refine((v) => DIFY_RELEASES[v] !== undefined, {
    error: `must be a supported Dify version: ${Object.keys(DIFY_RELEASES).join(', ')}`,
  }).optional(),
  host: hostName.optional(),
  tls: section({ enabled: z.boolean({ error: 'must be true or false' }).optional(), secretName: dnsSubdomain('Secret name').optional() }).optional(),
  ingress: section({
    enabled: z.boolean({ error: 'must be true or false' }).optional(),
    className: dnsSubdomain('IngressClass name').optional(),
    annotations: annotations.optional(),
    extraHosts: z.array(hostName, { error: 'must be a list of DNS names' }).optional(),
  }).optional(),
  gateway: section({
    parentRefs: z.array(section({
      name: dnsSubdomain('Gateway name'),
      namespace: dnsLabel('namespace name').optional(),
      sectionName: dnsLabel('listener name').optional(),
      port: wholeNumber(1, 65535).optional(),
    }), { error: 'must be a list of Gateways: {name, namespace, sectionName}' }).min(1, { error: 'must name at least one Gateway' }),
    hostnames: z.array(hostName, { error: 'must be a list of DNS names' }).optional(),
    annotations: annotations.optional(),
  }).optional(),
  redisMode: z.enum(['direct', 'sentinel'], { error: 'must be one of direct, sentinel' }).optional(),
  existingSecret: dnsSubdomain('Secret name').optional(),
  externalSecret: section({
    secretStoreRef: section({
      name: dnsSubdomain('SecretStore name'),
      kind: z.enum(['SecretStore', 'ClusterSecretStore'], { error: 'must be one of SecretStore, ClusterSecretStore' }).optional(),
    }),
    remoteKey: z.string({ error: 'must be the key of a secret in the manager' }).min(1, { error: 'must be the key of a secret in the manager' }),
    refreshInterval: z.string().regex(/^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/, { error: 'must be a duration such as 1h or 15m' }).optional(),
  }).optional(),
  storage: section({
    type: z.enum(['minio', 's3', 'volume', 'azure-blob', 'google-storage', 'aliyun-oss'], {
      error: 'must be one of minio, s3, volume, azure-blob, google-storage, aliyun-oss',
    }).optional(),
    azureBlob: section({
      accountName: z.string({ error: 'must be a storage account name' }).regex(/^[a-z0-9]{3,24}$/, { error: 'must be a storage account name: 3 to 24 lowercase letters and digits' }),
      containerName: z.string({ error: 'must be a container name' }).regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, { error: 'must be a container name: 3 to 63 lowercase letters, digits and single "-"' }),
      accountUrl: url(/^https:\/\/[^\s]+$/, 'must be an https:// URL').optional(),
      credentialsSecret: dnsSubdomain('Secret name'),
      accountKeyKey: keyRef.shape.key.optional(),
    }).optional(),
    googleStorage: section({
      bucket: z.string({ error: 'must be a bucket name' }).regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, { error: 'must be a bucket name' }),
      credentialsSecret: dnsSubdomain('Secret name').optional(),
      serviceAccountJsonKey: keyRef.shape.key.optional(),
    }).optional(),
    aliyunOss: section({
      bucket: z.string({ error: 'must be a bucket name' }).regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, { error: 'must be a bucket name' }),
      endpoint: httpUrl(),
      region: z.string({ error: 'must be a region such as cn-hangzhou' }).regex(/^[a-z0-9-]+$/, { error: 'must be a region such as cn-hangzhou' }),
      authVersion: z.enum(['v1', 'v4'], { error: 'must be one of v1, v4' }).optional(),
      path: z.string().regex(/^[A-Za-z0-9._\/-]+$/, { error: 'must be a folder such as dify/files' }).optional(),
      credentialsSecret: dnsSubdomain('Secret name'),
      accessKeyKey: keyRef.shape.key.optional(),
      secretKeyKey: keyRef.shape.key.optional(),
    }).optional(),
    minio: section({ size: bytes('20Gi').optional(), storageClass: dnsSubdomain('StorageClass name').optional(), bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name' }).optional() }).optional(),
    s3: section({
      endpoint: httpUrl(),
      bucket: z.string({ error: 'must be a bucket name' }).regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name' }),
      region: z.string({ error: 'must be a region name' }).regex(/^[a-z0-9-]+$/, { error: 'must be a region name such as eu-west-1' }).optional(),
      addressStyle: z.enum(['path', 'virtual'], { error: 'must be one of path, virtual' }).optional(),
      credentialsSecret: dnsSubdomain('Secret name').optional(),
      accessKeyKey: keyRef.shape.key.optional(),
      secretKeyKey: keyRef.shape.key.optional(),
      useIamRole: z.boolean({ error: 'must be true or false' }).optional(),
    }).superRefine((s3, ctx) => {
      if (s3.useIamRole && s3.credentialsSecret) {
        ctx.addIssue({ code: 'custom', path: ['credentialsSecret'], input: s3.credentialsSecret, message: 'must not be given with useIamRole: the pod\'s identity is the credential' });
      }
      if (!s3.useIamRole && !s3.credentialsSecret) {
        ctx.addIssue({ code: 'custom', path: ['credentialsSecret'], input: undefined, message: 'is needed: the Secret with the access and secret key (or useIamRole: true)' });
      }
    }).optional(),
    volume: section({ size: bytes('20Gi').optional(), storageClass: dnsSubdomain('StorageClass name').optional() }).optional(),
  }).optional(),
  pluginStorage: section({ size: bytes('10Gi').optional(), storageClass: dnsSubdomain('StorageClass name').optional() }).optional(),
  images: section(Object.fromEntries(['api', 'web', 'sandbox', 'pluginDaemon', 'ssrfProxy', 'agentBackend', 'localSandbox', 'minio', 'postgres', 'bootstrap']
    .map((name) => [name, image.optional()]))).optional(),
  backendEnv: extraEnv.optional(),
  pods: section(podSettingsShape).optional(),
  imageRegistry: z.string({ error: 'must be a registry host, optionally with a path' })
    .regex(/^[a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, {
      error: 'must be a registry host, optionally with a port and a path, such as registry.example.com/mirror (no scheme, no trailing /)',
    }).optional(),
  imagePullSecrets: z.array(dnsSubdomain('Secret name'), { error: 'must be a list of Secret names' }).optional(),
  imagePullPolicy: z.enum(['IfNotPresent', 'Always', 'Never'], { error: 'must be one of IfNotPresent, Always, Never' }).optional(),
  api: section({ ...difyComponent, ...serving, autoscaling: autoscaling.optional() }).optional(),
  worker: section({
    ...difyComponent, autoscaling: autoscaling.optional(),
    concurrency: z.number({ error: 'must be a whole number from 1 to 64' }).int({ error: 'must be a whole number from 1 to 64' }).min(1, { error: 'must be a whole number from 1 to 64' }).max(64, { error: 'must be a whole number from 1 to 64' }).optional(),
  }).optional(),
  beat: section({ ...difyComponent, replicas: singleReplica, autoscaling: noAutoscaling }).optional(),
  web: section({ ...difyComponent, ...serving, autoscaling: autoscaling.optional() }).optional(),
  sandbox: section({
    ...difyComponent, ...serving, autoscaling: autoscaling.optional(),
    pythonRequirements: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[A-Za-z0-9.!+_-]+$/, {
      error: 'must be a pinned package such as numpy==1.26.4',
    }), { error: 'must be a list of pinned packages' }).optional(),
  }).optional(),
  pluginDaemon: section({ ...difyComponent, ...serving, replicas: singleReplica, autoscaling: noAutoscaling, maxPackageSize: bytes('50Mi').optional() }).optional(),
  ssrfProxy: section({
    ...difyComponent, ...serving,
    allowPrivate: section({
      ips: z.array(z.string().refine(isAddressOrRange, { error: 'must be an IPv4 or IPv6 address or CIDR range such as 10.20.0.0/16', abort: true })
        .refine((range) => !opensEverythingOrProtected(range), {
          error: 'must not open every address (a /0), the cloud metadata address 169.254.169.254 or loopback: name the private networks Dify may reach, such as 10.20.0.0/16',
        }),
        { error: 'must be a list of addresses or CIDR ranges' }).optional(),
      domains: z.array(z.string().regex(/^\.?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
        error: 'must be a host name, a leading dot for its subdomains too, such as .corp.example.com',
      }).refine((domain) => !/(^|\.)localhost$/.test(domain), { error: 'must not be localhost: loopback is the proxy itself and stays refused' }),
      { error: 'must be a list of host names' }).optional(),
    }).optional(),
  }).optional(),
  collaboration: section({ enabled: z.boolean({ error: 'must be true or false' }).optional(), ...difyComponent, ...serving }).optional(),
  agent: section({
    enabled: z.boolean({ error: 'must be true or false' }).optional(),
    backend: section({ ...difyComponent, ...serving }).optional(),
    // One pod: shellctl keeps its jobs' state in the pod, so a second replica would not know the first one's jobs.
    localSandbox: section({ ...difyComponent, ...serving, replicas: singleReplica, autoscaling: noAutoscaling, scratchSize: bytes('10Gi').optional() }).optional(),
    ssrfProxy: section({ ...difyComponent, ...serving }).optional(),
  }).optional(),
});

const platformShape = {
  namespace: z.string({ error: 'must be a namespace name' })
    .regex(DNS_1123_LABEL, { error: "must be a namespace name: lowercase letters, digits and '-', starting and ending with a letter or digit" })
    .max(MAX_DNS_LABEL, { error: `must be a namespace name of at most ${MAX_DNS_LABEL} characters` })
    .refine((name) => !SYSTEM_NAMESPACES.includes(name), { error: `must not be ${SYSTEM_NAMESPACES.join(', ')}: Kubernetes keeps them for itself (its control plane, public info and node heartbeats)` })
    .optional(),
  createNamespace: z.boolean({ error: 'must be true or false' }).optional(),
  kubeblocks: section({
    releaseLine: z.enum(RELEASE_LINE_NAMES as [ReleaseLine, ...ReleaseLine[]], {
      error: `must be one of ${RELEASE_LINE_NAMES.map((line) => `"${line}"`).join(', ')} (quote it in YAML)`,
    }).optional(),
    namespace: dnsLabel('namespace name').optional(),
  }).optional(),
  postgresql: section({ ...clusterSettings(MAX_REPLICAS.postgresql), ...broughtIn(externalPostgresql) }).optional(),
  redis: section({ ...clusterSettings(MAX_REPLICAS.redis), sentinel: sentinel.optional(), ...broughtIn(externalRedis) }).optional(),
  vectorStore: z.enum(VECTOR_STORES, {
    error: (issue) => `must be one of ${VECTOR_STORES.join(', ')}${VECTOR_STORES_NOT_YET.includes(String(issue.input)) ? `; ${issue.input} is not offered yet` : ''}`,
  }).optional(),
  milvus: section({ ...clusterSettings(MAX_REPLICAS.milvus), replicas: z.literal(1, { error: 'must be 1: Milvus standalone runs one pod' }).optional() }).optional(),
  qdrant: section({ ...clusterSettings(MAX_REPLICAS.qdrant), replicationFactor: replicas(MAX_REPLICAS.qdrant).optional(), ...broughtIn(externalQdrant) }).optional(),
  dify: difySection.optional(),
  backupRepo: section({
    name: dnsSubdomain('BackupRepo name').optional(),
    provider: z.enum(BACKUP_PROVIDERS, { error: `must be one of ${BACKUP_PROVIDERS.join(', ')}` }),
    bucket: z.string({ error: 'must be a bucket name' }).regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be a bucket name' }).optional(),
    container: z.string({ error: 'must be an Azure Blob Storage container name' })
      .regex(/^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, { error: 'must be an Azure Blob Storage container name: 3 to 63 lowercase letters, digits and single hyphens' }).optional(),
    region: z.string().regex(/^[a-z0-9-]+$/, { error: 'must be a region such as eu-west-1' }).optional(),
    endpoint: httpUrl().optional(),
    credentialsSecret: section({ name: dnsSubdomain('Secret name'), namespace: dnsLabel('namespace name').optional() }),
    pathPrefix: z.string().regex(/^[A-Za-z0-9._\/-]+$/, { error: 'must be a folder such as dify/prod' }).optional(),
    accessMethod: z.enum(['Tool', 'Mount'], { error: 'must be one of Tool, Mount' }).optional(),
    default: z.boolean({ error: 'must be true or false' }).optional(),
  }).superRefine((repo, ctx) => {
    // Each provider's StorageProvider declares its own parameters (lib/kubeblocks/storage-providers.ts): a missing one
    // leaves the repo never Ready, one it does not declare would do nothing.
    const facts: StorageProviderFacts = STORAGE_PROVIDERS[repo.provider];
    const otherPlace = facts.place === 'bucket' ? 'container' : 'bucket';
    if (!repo[facts.place]) {
      ctx.addIssue({ code: 'custom', path: [facts.place], input: undefined, message: `${repo.provider} stores backups in a ${facts.place}: name it, e.g. ${facts.place}: dify-backups` });
    }
    if (repo[otherPlace] !== undefined) {
      ctx.addIssue({ code: 'custom', path: [otherPlace], input: repo[otherPlace], message: `${repo.provider} has no ${otherPlace}: name its ${facts.place} instead` });
    }
    for (const key of ['region', 'endpoint'] as const) {
      const needed = facts.requires.includes(key);
      const declared = needed || facts.accepts.includes(key);
      if (needed && !repo[key]) ctx.addIssue({ code: 'custom', path: [key], input: undefined, message: `${repo.provider} needs ${key === 'region' ? "the bucket's region" : "the store's URL"}, e.g. ${facts.example}` });
      if (!declared && repo[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], input: repo[key], message: `${repo.provider} takes no ${key}: leave it out` });
    }
  }).optional(),
  networkPolicies: z.union([
    z.literal(false),
    section({ ingressNamespaces: z.array(dnsLabel('namespace name'), { error: 'must be a list of namespaces' }).min(1, { error: 'must name at least one namespace' }).optional() }),
  ], { error: 'must be false (no NetworkPolicies) or { ingressNamespaces: [...] }' }).optional(),
  monitoring: section({
    podMonitors: z.boolean({ error: 'must be true or false' }).optional(),
    namespaces: z.array(dnsLabel('namespace name'), { error: 'must be a list of namespaces' }).min(1, { error: 'must name at least one namespace' }).optional(),
    labels: labelMap.optional(),
  }).optional(),
  commonLabels: userLabelMap.optional(),
  commonAnnotations: annotations.optional(),
  allowDestructive: z.array(z.enum(GUARD_RULE_IDS, { error: `must be one of ${GUARD_RULE_IDS.join(', ')}` }),
    { error: `must be a list of guard rails to let through: ${GUARD_RULE_IDS.join(', ')}` }).optional(),
};

/** Whether an RFC 3339 UTC time names a moment that exists (no 30 February, no hour 24). */
function isCalendarTime(text: string): boolean {
  const date = new Date(text);
  return !Number.isNaN(date.getTime()) && date.toISOString().replace('.000Z', 'Z') === text;
}

/** The shape and value checks of every setting; {@link parsePlatformProps} adds the checks across settings. */
export const platformSchema: z.ZodType<DifyPlatformProps> = section(platformShape);

function describeIssue(source: string, issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const prefix = settingPath(issue.path);
    const keys = issue.keys.map((key) => (prefix ? `${prefix}.${key}` : key)).join(', ');
    return `${source}: ${keys}: unknown setting: ${issue.message.replace(/^unknown setting [^;]*; /, '')}`;
  }
  return formatProblem(source, settingPath(issue.path), issue.input, issue.message);
}

/**
 * Validates platform settings and returns them typed, or throws a {@link ConfigError} with one line per problem:
 * every problem at once, the checks across settings included (they run on the settings that are well-formed, so a
 * bad replica count does not hide an unsupported version).
 * @param source where the settings came from (a file path, or "props"), for the error lines
 */
export function parsePlatformProps(input: unknown, source: string): DifyPlatformProps {
  const result = platformSchema.safeParse(input ?? {}, { reportInput: true });
  const shapeIssues = result.success ? [] : result.error.issues;
  const usable = result.success ? result.data : usableSettings(platformSchema, input ?? {});
  const badPaths = shapeIssues.map((issue) => settingPath(issue.path));
  const crossIssues = (usable ? crossFieldIssues(usable) : [])
    .filter((issue) => !badPaths.some((bad) => overlaps(bad, settingPath(issue.path))));
  const problems = [
    ...shapeIssues.map((issue) => describeIssue(source, issue)),
    ...crossIssues.map((issue) => formatProblem(source, settingPath(issue.path), issue.input, issue.message)),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return withVectorStoreDefaults(result.data!);
}

/** With pgvector, PostgreSQL defaults to the newest version whose image carries it (the line's default may not). */
function withVectorStoreDefaults(props: DifyPlatformProps): DifyPlatformProps {
  if (props.vectorStore !== 'pgvector' || props.postgresql?.version !== undefined || isBroughtIn(props.postgresql)) return props;
  return { ...props, postgresql: { ...props.postgresql, version: PGVECTOR_DEFAULT_VERSION } };
}

/** Whether two setting paths name the same setting or one lies inside the other. */
function overlaps(a: string, b: string): boolean {
  const inside = (outer: string, inner: string) => outer === '' || inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return inside(a, b) || inside(b, a);
}

export { ConfigError };
