/**
 * The one place that says no: every setting of a platform, from a YAML config file or from props in code, is checked
 * here, and each problem is reported with the path of the setting, the value and what is allowed.
 */
import { z } from 'zod';
import { resolveDifyConfig } from '../dify/dify-config';
import { DIFY_RELEASES } from '../dify/features';
import { ResolvedResources } from '../kubeblocks/component-settings';
import { DifyPlatformProps, platformNamespace, platformReleaseLine } from '../dify-platform-props';
import { ClusterModel, derivedLabelsOf } from '../kubeblocks/cluster-model';
import { DNS_LABEL_PATTERN, MAX_COMPONENT_NAME, MAX_DNS_LABEL } from '../kubeblocks/naming';
import { postgresqlClusterModel } from '../kubeblocks/postgresql-cluster';
import { qdrantClusterModel } from '../kubeblocks/qdrant-cluster';
import { redisClusterModel } from '../kubeblocks/redis-cluster';
import {
  ALL_TERMINATION_POLICIES, Engine, ENGINES, isOfferedVersion, RELEASE_LINE_NAMES, RELEASE_LINES, ReleaseLine, TerminationPolicy,
} from '../kubeblocks/release-lines';
import { ConfigError, formatProblem } from './config-error';
import { QUANTITY, quantityValue } from './quantity';

/** A namespace: a DNS-1123 label. */
const NAMESPACE = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A StorageClass name: a DNS-1123 subdomain. */
const SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** A label key such as `kubernetes.io/hostname` or `topology.kubernetes.io/zone`. */
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const VERSION = /^\d+\.\d+\.\d+$/;

/** An object that rejects keys it does not know, naming the ones it does. */
function section<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => issue.code === 'unrecognized_keys'
      ? `unknown setting ${issue.keys.map((key) => `"${key}"`).join(', ')}; known settings here: ${known}`
      : issue.code === 'invalid_type' ? `must be a mapping of settings (${known})` : undefined,
  });
}

const quantity = (example: string) => z.union([z.string(), z.number()], { error: `must be a Kubernetes quantity such as ${example}` })
  .transform(String)
  .pipe(z.string().regex(QUANTITY, {
    error: `must be a Kubernetes quantity such as ${example} (suffixes: m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei)`,
  }));

const replicas = z.number({ error: 'must be a whole number of at least 1' })
  .int({ error: 'must be a whole number of at least 1' })
  .min(1, { error: 'must be a whole number of at least 1' });

const sentinelReplicas = z.number({ error: 'must be an odd whole number of at least 3' })
  .int({ error: 'must be an odd whole number of at least 3' })
  .refine((n) => n >= 3 && n % 2 === 1, { error: 'must be an odd whole number of at least 3 (a Sentinel quorum is a majority)' });

const dnsSubdomain = (what: string) => z.string({ error: `must be a ${what}` })
  .regex(SUBDOMAIN, { error: `must be a ${what}: lowercase letters, digits, '-' and '.'` });

const dnsLabel = (what: string) => z.string({ error: `must be a ${what}: lowercase letters, digits and '-', starting with a letter` })
  .regex(DNS_LABEL_PATTERN, { error: `must be a ${what}: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit` });

const componentName = dnsLabel('component name')
  .max(MAX_COMPONENT_NAME, { error: `must be at most ${MAX_COMPONENT_NAME} characters (KubeBlocks' limit for component names)` });

const resources = section({
  requests: section({ cpu: quantity('500m or 1').optional(), memory: quantity('512Mi or 2Gi').optional() }).optional(),
  limits: section({ cpu: quantity('500m or 1').optional(), memory: quantity('512Mi or 2Gi').optional() }).optional(),
});

const storage = section({
  size: quantity('20Gi').optional(),
  storageClass: dnsSubdomain('StorageClass name').optional(),
});

const spread = section({
  antiAffinity: z.enum(['Preferred', 'Required', 'None'], { error: 'must be one of Preferred, Required, None' }).optional(),
  topologyKeys: z.array(z.string().regex(LABEL_KEY, { error: 'must be a node label key such as kubernetes.io/hostname' }),
    { error: 'must be a list of node label keys' }).optional(),
});

const componentSettings = {
  replicas: replicas.optional(),
  resources: resources.optional(),
  storage: storage.optional(),
};

const clusterSettings = {
  ...componentSettings,
  name: dnsLabel('cluster name').optional(),
  version: z.string({ error: 'must be a version string such as "16.9.0" (quote it in YAML)' })
    .regex(VERSION, { error: 'must be a version such as "16.9.0"' }).optional(),
  terminationPolicy: z.enum(ALL_TERMINATION_POLICIES as [TerminationPolicy, ...TerminationPolicy[]], {
    error: `must be one of ${ALL_TERMINATION_POLICIES.join(', ')}`,
  }).optional(),
  spread: spread.optional(),
  componentName: componentName.optional(),
};

const sentinel = section({ ...componentSettings, replicas: sentinelReplicas.optional(), componentName: componentName.optional() });

const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;
/** A DNS name: labels of lowercase letters, digits and '-', separated by dots. */
const HOST = /^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** An image with a tag or digest: `latest` and untagged images are not pinned. */
const PINNED_IMAGE = /^[^\s@:]+(:[0-9]+)?(\/[^\s@:]+)*(:[\w][\w.-]{0,127}|@sha256:[0-9a-f]{64})$/;

const keyRef = section({ name: z.string({ error: 'must be a Secret or ConfigMap name' }), key: z.string({ error: 'must be a key name' }) });
const extraEnv = z.array(section({
  name: z.string({ error: 'must be a variable name' }).regex(ENV_NAME, { error: 'must be a variable name: letters, digits, _ . -, not starting with a digit' }),
  value: z.string({ error: 'must be a string (quote numbers and booleans in YAML)' }).optional(),
  valueFrom: section({ secretKeyRef: keyRef.optional(), configMapKeyRef: keyRef.optional() }).optional(),
}), { error: 'must be a list of {name, value} or {name, valueFrom}' });

const image = z.string({ error: 'must be an image reference' })
  .regex(PINNED_IMAGE, { error: 'must be a pinned image: repository:tag or repository@sha256:digest' })
  .refine((ref) => !ref.endsWith(':latest'), { error: 'must be a pinned image, not :latest' });

const difyComponent = {
  replicas: replicas.optional(),
  resources: resources.optional(),
  env: extraEnv.optional(),
};
const singleReplica = z.literal(1, { error: 'must be 1: this component must never run twice at once' }).optional();

const difySection = section({
  version: z.string({ error: 'must be a version string' }).refine((v) => DIFY_RELEASES[v] !== undefined, {
    error: `must be a supported Dify version: ${Object.keys(DIFY_RELEASES).join(', ')}`,
  }).optional(),
  host: z.string({ error: 'must be a DNS name' }).regex(HOST, { error: 'must be a DNS name such as dify.example.com (lowercase, no scheme, no port)' }).optional(),
  tls: section({ enabled: z.boolean({ error: 'must be true or false' }).optional(), secretName: dnsSubdomain('Secret name').optional() }).optional(),
  ingress: section({
    enabled: z.boolean({ error: 'must be true or false' }).optional(),
    className: dnsSubdomain('IngressClass name').optional(),
    annotations: z.record(z.string(), z.string({ error: 'must be a string (quote it in YAML)' }), { error: 'must be a mapping of annotation names to strings' }).optional(),
  }).optional(),
  redisMode: z.enum(['direct', 'sentinel'], { error: 'must be one of direct, sentinel' }).optional(),
  existingSecret: dnsSubdomain('Secret name').optional(),
  storage: section({
    type: z.enum(['minio', 's3', 'volume'], { error: 'must be one of minio, s3, volume' }).optional(),
    minio: section({ size: quantity('20Gi').optional(), storageClass: dnsSubdomain('StorageClass name').optional(), bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name' }).optional() }).optional(),
    s3: section({
      endpoint: z.string({ error: 'must be a URL' }).regex(/^https?:\/\/[^\s]+$/, { error: 'must be an http:// or https:// URL' }),
      bucket: z.string({ error: 'must be a bucket name' }).min(3, { error: 'must be a bucket name' }),
      region: z.string().optional(),
      addressStyle: z.enum(['path', 'virtual'], { error: 'must be one of path, virtual' }).optional(),
      credentialsSecret: dnsSubdomain('Secret name'),
      accessKeyKey: z.string().optional(),
      secretKeyKey: z.string().optional(),
    }).optional(),
    volume: section({ size: quantity('20Gi').optional(), storageClass: dnsSubdomain('StorageClass name').optional() }).optional(),
  }).optional(),
  pluginStorage: section({ size: quantity('10Gi').optional(), storageClass: dnsSubdomain('StorageClass name').optional() }).optional(),
  images: section(Object.fromEntries(['api', 'web', 'sandbox', 'pluginDaemon', 'ssrfProxy', 'minio', 'postgres', 'bootstrap']
    .map((name) => [name, image.optional()]))).optional(),
  backendEnv: extraEnv.optional(),
  api: section(difyComponent).optional(),
  worker: section(difyComponent).optional(),
  beat: section({ ...difyComponent, replicas: singleReplica }).optional(),
  web: section(difyComponent).optional(),
  sandbox: section(difyComponent).optional(),
  pluginDaemon: section({ ...difyComponent, replicas: singleReplica }).optional(),
  ssrfProxy: section(difyComponent).optional(),
});

const platformShape = {
  namespace: z.string({ error: 'must be a namespace name' })
    .regex(NAMESPACE, { error: "must be a namespace name: lowercase letters, digits and '-'" })
    .max(MAX_DNS_LABEL, { error: `must be at most ${MAX_DNS_LABEL} characters` }).optional(),
  createNamespace: z.boolean({ error: 'must be true or false' }).optional(),
  kubeblocks: section({
    releaseLine: z.enum(RELEASE_LINE_NAMES as [ReleaseLine, ...ReleaseLine[]], {
      error: `must be one of ${RELEASE_LINE_NAMES.map((line) => `"${line}"`).join(', ')} (quote it in YAML)`,
    }).optional(),
  }).optional(),
  postgresql: section(clusterSettings).optional(),
  redis: section({ ...clusterSettings, sentinel: sentinel.optional() }).optional(),
  qdrant: section(clusterSettings).optional(),
  dify: difySection.optional(),
};

interface Issue { readonly path: readonly string[]; readonly input: unknown; readonly message: string }

/** The model each engine's construct builds from its settings: the same function, so the same defaults. */
const CLUSTER_MODELS: Readonly<Record<Engine, (props: DifyPlatformProps, line: ReleaseLine) => ClusterModel>> = {
  postgresql: (props, line) => postgresqlClusterModel({ ...props.postgresql, namespace: platformNamespace(props), releaseLine: line }),
  redis: (props, line) => redisClusterModel({ ...props.redis, namespace: platformNamespace(props), releaseLine: line }),
  qdrant: (props, line) => qdrantClusterModel({ ...props.qdrant, namespace: platformNamespace(props), releaseLine: line }),
};

/** Checks that need more than one setting: what the release line offers, and the names KubeBlocks derives. */
function crossFieldIssues(props: DifyPlatformProps): Issue[] {
  const line = platformReleaseLine(props);
  const facts = RELEASE_LINES[line];
  const issues: Issue[] = [];
  for (const engine of ENGINES) {
    const settings = props[engine];
    if (settings?.version !== undefined && !isOfferedVersion(line, engine, settings.version)) {
      issues.push({ path: [engine, 'version'], input: settings.version,
        message: `KubeBlocks ${line} offers ${engine} ${facts.versions[engine].join(', ')}` });
    }
    const policy = settings?.terminationPolicy;
    if (policy !== undefined && !facts.terminationPolicies.includes(policy)) {
      issues.push({ path: [engine, 'terminationPolicy'], input: policy,
        message: `KubeBlocks ${line} allows ${facts.terminationPolicies.join(', ')}` });
    }
    const model = CLUSTER_MODELS[engine](props, line);
    issues.push(...nameIssues(engine, model));
    for (const component of model.components) issues.push(...resourceIssues([engine, ...component.settingsPath], component.resources));
  }
  return [...issues, ...difyIssues(props)];
}

/** A request above its limit: Kubernetes would refuse the pod at apply time, so synth refuses it first. */
function resourceIssues(path: readonly string[], resources: ResolvedResources): Issue[] {
  return (['cpu', 'memory'] as const)
    .filter((resource) => quantityValue(resources.requests[resource]) > quantityValue(resources.limits[resource]))
    .map((resource) => ({ path: [...path, 'resources', 'requests', resource], input: resources.requests[resource],
      message: `a request must not exceed its limit (${resources.limits[resource]}); raise resources.limits.${resource} too` }));
}

/** Dify settings that only make sense together. */
function difyIssues(props: DifyPlatformProps): Issue[] {
  const dify = props.dify ?? {};
  const config = resolveDifyConfig(dify);
  const issues: Issue[] = Object.entries(config.components)
    .flatMap(([name, component]) => resourceIssues(['dify', name], component.resources));
  if (dify.tls?.enabled && !dify.tls.secretName) {
    issues.push({ path: ['dify', 'tls', 'secretName'], input: dify.tls.secretName,
      message: 'TLS needs the name of the Secret with the certificate (cert-manager can create it)' });
  }
  if (dify.storage?.type === 's3' && !dify.storage.s3) {
    issues.push({ path: ['dify', 'storage', 's3'], input: dify.storage.s3,
      message: 'storage type s3 needs endpoint, bucket and credentialsSecret under dify.storage.s3' });
  }
  return issues;
}

function nameIssues(engine: Engine, model: ClusterModel): Issue[] {
  const issues: Issue[] = [];
  for (const component of model.components) {
    if (RELEASE_LINES[model.releaseLine].topologyNamesComponents && component.name !== component.definitionName) {
      issues.push({ path: [engine, ...component.settingsPath, 'componentName'], input: component.name,
        message: `on KubeBlocks ${model.releaseLine} the ${model.definition.topology} topology names this component "${component.definitionName}"` });
    }
    const longest = derivedLabelsOf(model, component).reduce((a, b) => (b.length > a.length ? b : a));
    if (longest.length > MAX_DNS_LABEL) {
      issues.push({ path: [engine, 'name'], input: model.name,
        message: `KubeBlocks would derive the name "${longest}" (${longest.length} characters), over Kubernetes' ${MAX_DNS_LABEL}-character limit` });
    }
  }
  return issues;
}

/** The shape and value checks of every setting; {@link parsePlatformProps} adds the checks across settings. */
export const platformSchema: z.ZodType<DifyPlatformProps> = section(platformShape);

function settingPath(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : String(part))).join('.').replace(/\.\[/g, '[');
}

function describeIssue(source: string, issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const prefix = settingPath(issue.path);
    const keys = issue.keys.map((key) => (prefix ? `${prefix}.${key}` : key)).join(', ');
    return `${source}: ${keys}: unknown setting: ${issue.message.replace(/^unknown setting [^;]*; /, '')}`;
  }
  return formatProblem(source, settingPath(issue.path), issue.input, issue.message);
}

/**
 * Validates platform settings and returns them typed, or throws a {@link ConfigError} with one line per problem.
 * @param source where the settings came from (a file path, or "props"), for the error lines
 */
export function parsePlatformProps(input: unknown, source: string): DifyPlatformProps {
  const result = platformSchema.safeParse(input ?? {}, { reportInput: true });
  if (!result.success) throw new ConfigError(result.error.issues.map((issue) => describeIssue(source, issue)));
  // Checks across settings run on settings already known to be well-formed.
  const issues = crossFieldIssues(result.data);
  if (issues.length > 0) {
    throw new ConfigError(issues.map((issue) => formatProblem(source, settingPath(issue.path), issue.input, issue.message)));
  }
  return result.data;
}

export { ConfigError };
