/**
 * The data tier's sections of a config: the clusters the platform runs (replicas, resources, storage, backups,
 * restores), the databases it is given instead (existingCluster, external), and the BackupRepo.
 */
import { isIP } from 'net';
import { z } from 'zod';
import { CLUSTER_FORMS } from '../kubeblocks/external-databases';
import { REDIS_TLS_VERIFY, SSL_MODES } from '../kubeblocks/connections';
import { MAX_COMPONENT_NAME } from '../kubeblocks/naming';
import { ALL_TERMINATION_POLICIES, TerminationPolicy } from '../kubeblocks/release-lines';
import { BACKUP_PROVIDERS, STORAGE_PROVIDERS, StorageProviderFacts } from '../kubeblocks/storage-providers';
import { cronProblem } from './cron';
import { isHostName, isLocalAddress, isQualifiedName } from './grammar';
import { schedulingShape } from './pod-schema';
import {
  bytes, dnsLabel, dnsSubdomain, httpUrl, keyRef, serverUrl, MAX_REPLICAS, replicas, resources, section, wholeNumber,
} from './schema-parts';

/** A version such as 16.9.0. */
const VERSION = /^\d+\.\d+\.\d+$/;

const sentinelReplicas = wholeNumber(3, MAX_REPLICAS.sentinel, ', odd (a Sentinel quorum is a majority)')
  .refine((n) => n % 2 === 1, { error: `must be an odd whole number from 3 to ${MAX_REPLICAS.sentinel} (a Sentinel quorum is a majority)` });

const componentName = dnsLabel('component name')
  .max(MAX_COMPONENT_NAME, { error: `must be at most ${MAX_COMPONENT_NAME} characters (KubeBlocks' limit for component names)` });

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

/** A server's DNS name or IP address (an RDS endpoint, a Memorystore address); the values importers check with it too. */
export const serverHost = z.string({ error: 'must be a DNS name or an IP address' })
  .refine((host) => isHostName(host) || isIP(host) !== 0, { error: 'must be a DNS name or an IP address, without scheme or port' })
  .refine((host) => !isLocalAddress(host), { error: 'must be a server Dify can reach: loopback (in a pod, the pod itself), link-local (the node, the cloud metadata endpoint) and the unspecified address are not; name the server\'s DNS name or address' });
const port = wholeNumber(1, 65535).optional();
/** A database the platform does not run: a KubeBlocks cluster that exists in its namespace, or an external server. */
const existingCluster = z.union([
  dnsLabel('cluster name'),
  section({
    name: dnsLabel('cluster name'),
    form: z.enum(CLUSTER_FORMS).optional(),
  }),
], { error: `must be a cluster name, or { name, form } with form one of ${CLUSTER_FORMS.join(', ')} (legacy: a 0.9 cluster whose components set componentDefRef)` });
const broughtIn = <T extends z.ZodTypeAny, C extends z.ZodTypeAny>(external: T, existing: C) => ({
  existingCluster: existing.optional(),
  external: external.optional(),
});
/**
 * A database of Dify's on a server the platform is given. The database Job quotes it, but Dify puts it unquoted into
 * its SQLAlchemy URL (api/configs/middleware/__init__.py at the 1.16.1 version bump; api/config.py at 0.6.11) and the
 * plugin daemon into its DSN and, when it has to create it, into an unquoted CREATE DATABASE (dify-plugin-daemon
 * 0.5.3 to 0.6.3 internal/db/pg/pg.go): a name PostgreSQL folds to itself and that needs no quoting anywhere.
 */
const databaseName = z.string({ error: 'must be a database name' })
  .regex(/^[a-z_][a-z0-9_]{0,62}$/, { error: 'must be a PostgreSQL database name of 1 to 63 lowercase letters, digits and _, not starting with a digit' })
  .refine((name) => !['template0', 'template1'].includes(name), { error: 'is one of PostgreSQL\'s template databases: name a database of Dify\'s own' });
const difyDatabases = {
  databases: section({ dify: databaseName.optional(), pluginDaemon: databaseName.optional(), vector: databaseName.optional() }).optional(),
  createDatabases: z.boolean({ error: 'must be true or false' }).optional(),
};
/** An existing PostgreSQL cluster, by name, or with its form and Dify's databases on it. */
const existingPostgresql = z.union([
  dnsLabel('cluster name'),
  section({ name: dnsLabel('cluster name'), form: z.enum(CLUSTER_FORMS).optional(), ...difyDatabases }),
], { error: `must be a cluster name, or { name, form, databases, createDatabases } with form one of ${CLUSTER_FORMS.join(', ')} (legacy: a 0.9 cluster whose components set componentDefRef)` });
/** libpq's certificate-checking modes, refused with their reason. */
const VERIFYING_SSL_MODES = ['verify-ca', 'verify-full'];
const externalPostgresql = section({
  host: serverHost, port, credentialsSecret: dnsSubdomain('Secret name'),
  usernameKey: keyRef.shape.key.optional(), passwordKey: keyRef.shape.key.optional(),
  sslMode: z.enum(SSL_MODES, { error: (issue) => VERIFYING_SSL_MODES.includes(String(issue.input))
    ? `must be one of ${SSL_MODES.join(', ')}: verify-ca and verify-full need a CA certificate, which no container here is given, and the plugin daemon takes only disable or require`
    : `must be one of ${SSL_MODES.join(', ')}` }).optional(),
  ...difyDatabases,
});
/** A PEM bundle in a Secret or a ConfigMap: one of the two names, and the key. */
const caBundle = section({
  secretName: dnsSubdomain('Secret name').optional(),
  configMapName: dnsSubdomain('ConfigMap name').optional(),
  key: keyRef.shape.key,
}).refine((ca) => (ca.secretName === undefined) !== (ca.configMapName === undefined),
  { error: 'must name exactly one of secretName or configMapName, with the key that holds the PEM bundle' });
const redisTls = section({
  enabled: z.boolean({ error: 'must be true or false' }).optional(),
  verify: z.enum(REDIS_TLS_VERIFY, { error: (issue) => String(issue.input).toLowerCase().includes('optional')
    ? `must be one of ${REDIS_TLS_VERIFY.join(', ')}: a client checks a certificate under optional exactly as under required (Python's ssl, the plugin daemon), so say required`
    : `must be one of ${REDIS_TLS_VERIFY.join(', ')}` }).optional(),
  ca: caBundle.optional(),
}).superRefine((tls, ctx) => {
  // TLS is off unless enabled is true: a verify or CA given without it would be dropped, and the password sent in the clear.
  const given = (['verify', 'ca'] as const).filter((key) => tls[key] !== undefined);
  if (tls.enabled !== true && given.length > 0) {
    ctx.addIssue({ code: 'custom', path: ['enabled'], input: tls.enabled,
      message: `must be true with ${given.join(' and ')}: without it the connection is plain TCP and ${given.join(' and ')} would be ignored` });
    return;
  }
  if (tls.verify === 'none' && tls.ca) {
    ctx.addIssue({ code: 'custom', path: ['ca'], input: tls.ca, message: 'checks nothing with verify none: give verify required with a CA bundle, or no CA bundle' });
  }
});
const externalRedis = section({
  host: serverHost, port, credentialsSecret: dnsSubdomain('Secret name'),
  usernameKey: keyRef.shape.key.optional(), passwordKey: keyRef.shape.key.optional(),
  tls: redisTls.optional(),
});
/**
 * TLS inside a KubeBlocks Redis: the redis addon cannot serve it. Its ComponentDefinitions declare no `tls`
 * (kubeblocks-addons v1.0.2 addons/redis/templates/cmpd-redis.yaml, cmpd-redis-sentinel.yaml), which KubeBlocks 1.0
 * refuses a Cluster's `tls: true` for (kubeblocks v1.0.2 controllers/apps/component/transformer_component_tls.go), and
 * its redis.conf templates write no `tls-port` or `tls-cert-file` at either tag (addons/redis/config/redis7-config.tpl
 * at v0.9.5 and v1.0.2), so a certificate KubeBlocks 0.9 issued would be served by nothing.
 */
const noClusterTls = z.never({ error: 'is not available: the KubeBlocks redis addon (0.9.5, 1.0.2) serves no TLS; for TLS to Redis use redis.external with its tls settings' }).optional();
const externalQdrant = section({
  url: serverUrl(),
  apiKeySecret: keyRef.optional(),
});

export const postgresqlSection = section({ ...clusterSettings(MAX_REPLICAS.postgresql), ...broughtIn(externalPostgresql, existingPostgresql) });
export const redisSection = section({ ...clusterSettings(MAX_REPLICAS.redis), sentinel: sentinel.optional(), ...broughtIn(externalRedis, existingCluster), tls: noClusterTls });
export const milvusSection = section({ ...clusterSettings(MAX_REPLICAS.milvus), replicas: z.literal(1, { error: 'must be 1: Milvus standalone runs one pod' }).optional() });
export const qdrantSection = section({ ...clusterSettings(MAX_REPLICAS.qdrant), replicationFactor: replicas(MAX_REPLICAS.qdrant).optional(), ...broughtIn(externalQdrant, existingCluster) });

export const backupRepoSection = section({
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
});

/** Whether an RFC 3339 UTC time names a moment that exists (no 30 February, no hour 24). */
function isCalendarTime(text: string): boolean {
  const date = new Date(text);
  return !Number.isNaN(date.getTime()) && date.toISOString().replace('.000Z', 'Z') === text;
}
