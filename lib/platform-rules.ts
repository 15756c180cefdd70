/**
 * The rules of the platform as a whole, where one domain's settings must agree with another's: the vector store
 * against the clusters and the Dify version, a database brought in against what Dify is told, and the Services
 * KubeBlocks derives against the Dify tier's. Each domain's own rules are beside its constructs (lib/kubeblocks/,
 * lib/dify/); lib/config/cross-checks.ts collects them all.
 */
import { resolveDifyConfig } from './dify/dify-config';
import { DIFY_SERVICES, serviceName } from './dify/wiring/services';
import { DifyPlatformProps, platformDatabases, platformReleaseLine } from './dify-platform-props';
import { DifyDatabaseNames } from './dify/wiring/database-names';
import { ClusterModel, derivedServiceNamesOf } from './kubeblocks/cluster-model';
import { DEFAULT_OPERATOR_NAMESPACE } from './kubeblocks/backup-repo';
import { isBroughtIn } from './kubeblocks/external-databases';
import { PGVECTOR_VERSIONS } from './kubeblocks/pgvector';
import { Engine, ENGINES, RELEASE_LINES } from './kubeblocks/release-lines';
import { Issue } from './setting-issue';

/**
 * A platform never lives in the KubeBlocks operator's namespace: it would own the operator's Namespace object (a
 * prune or `createNamespace` touches it), and the databases' policies admit every pod of the operator's namespace,
 * so every pod of the platform would reach every other platform's databases.
 */
export function namespaceIssues(props: DifyPlatformProps): Issue[] {
  const namespace = props.namespace;
  const operator = props.kubeblocks?.namespace ?? DEFAULT_OPERATOR_NAMESPACE;
  if (namespace === undefined || (namespace !== operator && namespace !== DEFAULT_OPERATOR_NAMESPACE)) return [];
  return [{ path: ['namespace'], input: namespace,
    message: `is the KubeBlocks operator's namespace (${props.kubeblocks?.namespace === namespace ? 'kubeblocks.namespace' : 'its default'}): a platform needs a namespace of its own, such as dify` }];
}

/**
 * pgvector needs a PostgreSQL whose image carries the extension (lib/kubeblocks/pgvector.ts); a `qdrant` section
 * beside it would configure a cluster that is not there.
 */
export function vectorStoreIssues(props: DifyPlatformProps): Issue[] {
  const store = props.vectorStore ?? 'qdrant';
  const issues: Issue[] = [];
  // A section of a store not in use configures a cluster that is not there.
  for (const section of (['qdrant', 'milvus'] as const).filter((name) => name !== store && props[name] !== undefined)) {
    issues.push({ path: [section], input: props[section], message: `configures a ${section === 'qdrant' ? 'Qdrant' : 'Milvus'} cluster, and with vectorStore: ${store} there is none: remove it` });
  }
  if (store === 'milvus') issues.push(...milvusIssues(props));
  if (store !== 'pgvector') return issues;
  const version = props.postgresql?.version;
  if (version !== undefined && !isBroughtIn(props.postgresql) && !PGVECTOR_VERSIONS.includes(version)) {
    issues.push({ path: ['postgresql', 'version'], input: version,
      message: `with vectorStore: pgvector the version must be one whose addon image carries pgvector: ${PGVECTOR_VERSIONS.join(', ')} (pgvector 0.6.1)` });
  }
  return issues;
}

/**
 * Milvus is written where its release line offers a version (release-lines.ts: 1.0's standalone topology), for the
 * Dify versions whose pymilvus reaches the Milvus 2.5 it runs (features.ts).
 */
function milvusIssues(props: DifyPlatformProps): Issue[] {
  const issues: Issue[] = [];
  const line = platformReleaseLine(props);
  if (RELEASE_LINES[line].versions.milvus.length === 0) {
    issues.push({ path: ['vectorStore'], input: 'milvus', message: `Milvus is offered on KubeBlocks 1.0 only (its standalone topology); on ${line} use qdrant or pgvector` });
  }
  const features = resolveDifyConfig(props.dify).features;
  if (!features.milvus25Client) {
    issues.push({ path: ['vectorStore'], input: 'milvus', message: `Dify ${features.version}'s pymilvus 2.3.1 is older than the Milvus 2.5 the addon runs; use qdrant or pgvector with it` });
  }
  return issues;
}

/** What each of Dify's databases is for, in the refusal lines. */
const DATABASE_USERS: Readonly<Record<keyof DifyDatabaseNames, string>> = { dify: 'Dify\'s', pluginDaemon: 'the plugin daemon\'s', vector: 'pgvector\'s' };

/**
 * Dify's databases on a server the platform is given: each of those in use has its own name (Dify's and the plugin
 * daemon's migrations in one database would write into one schema), and a name of one not in use would do nothing.
 */
export function databaseNameIssues(props: DifyPlatformProps): Issue[] {
  const databases = platformDatabases(props);
  if (databases.setting === undefined) return [];
  const setting = databases.setting;
  const path = [...setting.split('.'), 'databases'];
  const named = (props.postgresql?.external ?? (typeof props.postgresql?.existingCluster === 'object' ? props.postgresql.existingCluster : undefined))?.databases ?? {};
  const features = resolveDifyConfig(props.dify).features;
  const inUse: Record<keyof DifyDatabaseNames, boolean> = { dify: true, pluginDaemon: features.pluginDaemonTag !== undefined, vector: props.vectorStore === 'pgvector' };
  const issues: Issue[] = [];
  const keys = (Object.keys(DATABASE_USERS) as (keyof DifyDatabaseNames)[]);
  for (const key of keys.filter((name) => named[name] !== undefined && !inUse[name])) {
    issues.push({ path: [...path, key], input: named[key], message: key === 'vector'
      ? 'does nothing: only vectorStore: pgvector keeps the vectors in a database of this server'
      : `does nothing: Dify ${features.version} has no plugin daemon` });
  }
  // Defaults differ from one another, so of two databases of one name at least one was named: the line is that one's.
  const used = keys.filter((key) => inUse[key]);
  used.forEach((key, index) => {
    const other = used.slice(0, index).find((earlier) => databases[earlier] === databases[key]);
    if (other === undefined) return;
    const [at, with_] = named[key] !== undefined ? [key, other] : [other, key];
    issues.push({ path: [...path, at], input: databases[at], message: `is ${DATABASE_USERS[with_]} database too (${setting}.databases.${with_}`
      + `${named[with_] === undefined ? ', by default' : ''}): ${DATABASE_USERS[at]} needs a database of its own, or their tables would mix` });
  });
  return issues;
}

/** Dify is given an external Redis by its address: it cannot look for it through sentinels. */
export function redisModeIssues(props: DifyPlatformProps): Issue[] {
  const issues: Issue[] = [];
  if (props.redis?.external && props.dify?.redisMode === 'sentinel') {
    issues.push({ path: ['dify', 'redisMode'], input: 'sentinel', message: 'must be direct with redis.external: Dify is given the external server\'s address, not sentinels' });
  }
  return issues;
}

/**
 * TLS to an external Redis needs a Dify whose every client can be told the check (lib/dify/wiring/redis-tls.ts), and
 * a CA bundle needs pods the platform mounts it into.
 */
export function redisTlsIssues(props: DifyPlatformProps): Issue[] {
  const tls = props.redis?.external?.tls;
  if (!tls?.enabled) return [];
  const issues: Issue[] = [];
  const features = resolveDifyConfig(props.dify).features;
  if (!features.redisTls) {
    issues.push({ path: ['redis', 'external', 'tls', 'enabled'], input: true,
      message: `is not available with Dify ${features.version}: its Celery broker checks no certificate (api/extensions/ext_celery.py passes ssl_cert_reqs None) and its cache takes no CA bundle; use Dify 1.13.3 or later` });
  }
  if (tls.ca && props.dify?.chart) {
    issues.push({ path: ['redis', 'external', 'tls', 'ca'], input: tls.ca,
      message: 'is not mounted into a community chart\'s pods: with dify.chart, use a server certificate from a public CA (the images\' system roots), or the native app tier' });
  }
  return issues;
}

/** Two clusters of one name would be one object; a Service KubeBlocks derives must not be one the Dify tier writes. */
export function collisionIssues(models: Partial<Record<Engine, ClusterModel>>): Issue[] {
  const issues: Issue[] = [];
  const difyServices = new Set(DIFY_SERVICES.map(serviceName));
  const engines = ENGINES.filter((engine) => models[engine] !== undefined);
  engines.forEach((engine, index) => {
    const model = models[engine]!;
    const earlier = engines.slice(0, index).find((other) => models[other]!.name === model.name);
    if (earlier) {
      issues.push({ path: [engine, 'name'], input: model.name, message: `the ${earlier} cluster has this name already; each cluster needs its own` });
    }
    for (const component of model.components) {
      const clash = derivedServiceNamesOf(model, component).find((name) => difyServices.has(name));
      if (clash) {
        issues.push({ path: [engine, 'name'], input: model.name,
          message: `KubeBlocks would create the Service "${clash}", which the Dify tier creates too; choose another cluster name` });
      }
    }
  });
  return issues;
}
