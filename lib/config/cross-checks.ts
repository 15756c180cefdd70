/**
 * Checks that need more than one setting: what the release line and the Dify version offer, the names KubeBlocks
 * derives and whether they collide, requests against limits, and what a user's environment may set. They run on
 * settings whose shape is already known to be right.
 */
import { COMPONENT_SETTINGS_PATH, DifyComponent, resolveDifyConfig, settingsAt } from '../dify/dify-config';
import { DifySettings, ExtraEnvVar, PodSettings } from '../dify/dify-settings';
import { DIFY_SERVICES, serviceName } from '../dify/wiring/services';
import { isCredentialName, wiredSetting } from '../dify/wiring/wired-env';
import { DifyPlatformProps, platformEngines, platformNamespace, platformReleaseLine } from '../dify-platform-props';
import { PGVECTOR_VERSIONS } from '../kubeblocks/pgvector';
import { existingClusterOf, ExternalDatabaseSettings, isBroughtIn } from '../kubeblocks/external-databases';
import { ClusterModel, derivedLabelsOf, derivedServiceNamesOf } from '../kubeblocks/cluster-model';
import { ResolvedResources } from '../kubeblocks/component-settings';
import { MAX_DNS_LABEL } from '../kubeblocks/naming';
import { postgresqlClusterModel } from '../kubeblocks/postgresql-cluster';
import { qdrantClusterModel } from '../kubeblocks/qdrant-cluster';
import { milvusClusterModel } from '../kubeblocks/milvus-cluster';
import { redisClusterModel } from '../kubeblocks/redis-cluster';
import { ENGINE_BACKUP } from '../kubeblocks/backup-methods';
import { BACKUP_PROVIDERS, STORAGE_PROVIDERS } from '../kubeblocks/storage-providers';
import { Engine, ENGINES, isOfferedVersion, RELEASE_LINES, ReleaseLine } from '../kubeblocks/release-lines';
import { quantityValue } from './quantity';
import { urlCredentialProblem } from './grammar';
import { chartIssues } from './chart-checks';

export interface Issue { readonly path: readonly (string | number)[]; readonly input: unknown; readonly message: string }

/** `dify.backendEnv[2].name`: how a setting is written in an error line. */
export function settingPath(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : String(part))).join('.').replace(/\.\[/g, '[');
}

/** The model each engine's construct builds from its settings: the same function, so the same defaults. */
const CLUSTER_MODELS: Readonly<Record<Engine, (props: DifyPlatformProps, line: ReleaseLine) => ClusterModel>> = {
  postgresql: (props, line) => postgresqlClusterModel({ ...props.postgresql, namespace: platformNamespace(props), releaseLine: line }),
  redis: (props, line) => redisClusterModel({ ...props.redis, namespace: platformNamespace(props), releaseLine: line }),
  qdrant: (props, line) => qdrantClusterModel({ ...props.qdrant, namespace: platformNamespace(props), releaseLine: line }),
  milvus: (props, line) => milvusClusterModel({ ...props.milvus, namespace: platformNamespace(props), releaseLine: line }),
};

export function crossFieldIssues(props: DifyPlatformProps): Issue[] {
  const line = platformReleaseLine(props);
  const engines = platformEngines(props);
  const models = Object.fromEntries(engines.map((engine) => [engine, CLUSTER_MODELS[engine](props, line)])) as Partial<Record<Engine, ClusterModel>>;
  return [
    ...engines.flatMap((engine) => engineIssues(engine, props, models[engine]!)),
    ...collisionIssues(models),
    ...(models.qdrant ? qdrantIssues(props, models.qdrant) : []),
    ...vectorStoreIssues(props),
    ...broughtInIssues(props),
    ...existingClusterIssues(props, models),
    ...difyIssues(props),
    ...chartIssues(props.dify ?? {}),
    ...backupRepoIssues(props, line),
  ];
}

/**
 * pgvector needs a PostgreSQL whose image carries the extension (lib/kubeblocks/pgvector.ts); a `qdrant` section
 * beside it would configure a cluster that is not there.
 */
function vectorStoreIssues(props: DifyPlatformProps): Issue[] {
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

/** The settings only a database the platform runs reads: beside `existingCluster` or `external` they would do nothing. */
const CLUSTER_KEYS = ['replicas', 'resources', 'storage', 'name', 'version', 'terminationPolicy', 'spread', 'componentName', 'scheduling',
  'backup', 'restoreFrom', 'sentinel'];

/**
 * A database brought in (an existing KubeBlocks cluster or an external server) is one or the other, takes none of
 * the settings of a cluster the platform would write, and takes only what Dify can be told for it.
 */
function broughtInIssues(props: DifyPlatformProps): Issue[] {
  const issues: Issue[] = [];
  for (const engine of ENGINES) {
    const settings = props[engine] as Record<string, unknown> | undefined;
    if (!settings || !isBroughtIn(settings)) continue;
    const how = settings.external !== undefined ? 'external' : 'existingCluster';
    if (settings.external !== undefined && settings.existingCluster !== undefined) {
      issues.push({ path: [engine, 'existingCluster'], input: settings.existingCluster, message: `is one database and ${engine}.external another: give one of them` });
    }
    for (const key of CLUSTER_KEYS.filter((name) => settings[name] !== undefined)) {
      issues.push({ path: [engine, key], input: settings[key], message: `does nothing: with ${engine}.${how} the platform writes no ${engine} cluster` });
    }
  }
  if (props.redis?.external && props.dify?.redisMode === 'sentinel') {
    issues.push({ path: ['dify', 'redisMode'], input: 'sentinel', message: 'must be direct with redis.external: Dify is given the external server\'s address, not sentinels' });
  }
  return issues;
}

/**
 * An existing cluster must be one this engine's Services and Secrets can belong to. A Cluster name is unique in its
 * namespace, and an existing cluster is looked for in the platform's: a name this platform gives one of its own
 * clusters is that cluster, which runs another engine (an engine brought in gets no cluster of its own), so
 * `postgresql: { existingCluster: redis }` would wire DB_HOST to a Service that never exists. Likewise one cluster
 * cannot be of two engines in the legacy form: its components all point at one ClusterDefinition (kubeblocks v0.9.5
 * controllers/apps/transformer_cluster_load_resources.go). A topology-form cluster may hold components of several
 * engines (a Cluster without clusterDef), so two engines naming one such cluster is unusual, not refused.
 */
function existingClusterIssues(props: DifyPlatformProps, models: Partial<Record<Engine, ClusterModel>>): Issue[] {
  const issues: Issue[] = [];
  const own = ENGINES.filter((engine) => models[engine] !== undefined).map((engine) => ({ engine, name: models[engine]!.name }));
  const existing = ENGINES.flatMap((engine) => {
    const setting = (props[engine] as ExternalDatabaseSettings<unknown> | undefined)?.existingCluster;
    return setting === undefined ? [] : [{ engine, setting, ...existingClusterOf(setting) }];
  });
  existing.forEach(({ engine, setting, name, form }, index) => {
    const taken = own.find((cluster) => cluster.name === name);
    if (taken) {
      issues.push({ path: [engine, 'existingCluster'], input: setting,
        message: `is this platform's own ${taken.engine} cluster, which cannot be a ${engine} cluster: name a ${engine} cluster of namespace ${platformNamespace(props)} other than ${own.map((cluster) => cluster.name).join(', ')}` });
      return;
    }
    const shared = existing.slice(0, index).find((other) => other.name === name && (other.form === 'legacy' || form === 'legacy'));
    if (shared) {
      issues.push({ path: [engine, 'existingCluster'], input: setting,
        message: `is ${shared.engine}.existingCluster too, and a legacy-form cluster runs one engine: name this ${engine}'s own cluster` });
    }
  });
  return issues;
}

/** A storage provider the release line's KubeBlocks chart does not install would leave the repo pending forever. */
function backupRepoIssues(props: DifyPlatformProps, line: ReleaseLine): Issue[] {
  const provider = props.backupRepo?.provider;
  if (provider === undefined || STORAGE_PROVIDERS[provider].releaseLines.includes(line)) return [];
  return [{ path: ['backupRepo', 'provider'], input: provider,
    message: `KubeBlocks ${line} installs no ${provider} StorageProvider: use ${BACKUP_PROVIDERS.filter((name) => STORAGE_PROVIDERS[name].releaseLines.includes(line)).join(', ')}` }];
}

function engineIssues(engine: Engine, props: DifyPlatformProps, model: ClusterModel): Issue[] {
  const line = model.releaseLine;
  const facts = RELEASE_LINES[line];
  const settings = props[engine];
  const issues: Issue[] = [];
  if (settings?.version !== undefined && !isOfferedVersion(line, engine, settings.version)) {
    issues.push({ path: [engine, 'version'], input: settings.version,
      message: `KubeBlocks ${line} offers ${engine} ${facts.versions[engine].join(', ')}` });
  }
  const policy = settings?.terminationPolicy;
  if (policy !== undefined && !facts.terminationPolicies.includes(policy)) {
    issues.push({ path: [engine, 'terminationPolicy'], input: policy, message: `KubeBlocks ${line} allows ${facts.terminationPolicies.join(', ')}` });
  }
  const backup = ENGINE_BACKUP[engine];
  if (settings?.backup?.method !== undefined && !backup.methods.includes(settings.backup.method)) {
    issues.push({ path: [engine, 'backup', 'method'], input: settings.backup.method, message: `the ${engine} addon backs up with ${backup.methods.join(', ')}` });
  }
  if (settings?.backup?.pitr && !backup.continuousMethod) {
    issues.push({ path: [engine, 'backup', 'pitr'], input: true, message: `the ${engine} addon has no continuous backup: no point-in-time recovery` });
  }
  if (settings?.restoreFrom && backup.restoreProblem) {
    issues.push({ path: [engine, 'restoreFrom'], input: settings.restoreFrom, message: backup.restoreProblem });
  } else if (settings?.restoreFrom?.pointInTime && !backup.continuousMethod) {
    issues.push({ path: [engine, 'restoreFrom', 'pointInTime'], input: settings.restoreFrom.pointInTime, message: `${engine} restores whole backups only` });
  }
  issues.push(...nameIssues(engine, model));
  for (const component of model.components) issues.push(...resourceIssues([engine, ...component.settingsPath], component.resources));
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

/** Two clusters of one name would be one object; a Service KubeBlocks derives must not be one the Dify tier writes. */
function collisionIssues(models: Partial<Record<Engine, ClusterModel>>): Issue[] {
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

function qdrantIssues(props: DifyPlatformProps, model: ClusterModel): Issue[] {
  const factor = props.qdrant?.replicationFactor;
  const replicas = model.components[0].replicas;
  return factor !== undefined && factor > replicas
    ? [{ path: ['qdrant', 'replicationFactor'], input: factor, message: `must be at most qdrant.replicas (${replicas}): each copy needs its own peer` }]
    : [];
}

/** A request above its limit: Kubernetes would refuse the pod at apply time, so synth refuses it first. */
function resourceIssues(path: readonly (string | number)[], resources: ResolvedResources): Issue[] {
  return (['cpu', 'memory'] as const)
    .filter((resource) => quantityValue(resources.requests[resource]) > quantityValue(resources.limits[resource]))
    .map((resource) => ({ path: [...path, 'resources', 'requests', resource], input: resources.requests[resource],
      message: `a request must not exceed its limit (${resources.limits[resource]}); raise resources.limits.${resource} too` }));
}

/** Dify settings that only make sense together, or with the version. */
function difyIssues(props: DifyPlatformProps): Issue[] {
  const dify = props.dify ?? {};
  const config = resolveDifyConfig(dify);
  const features = config.features;
  const components = Object.keys(config.components) as DifyComponent[];
  const issues: Issue[] = components
    .flatMap((name) => resourceIssues(['dify', ...COMPONENT_SETTINGS_PATH[name]], config.components[name].resources));
  if (dify.tls?.enabled && !dify.tls.secretName) {
    issues.push({ path: ['dify', 'tls', 'secretName'], input: dify.tls.secretName,
      message: 'TLS needs the name of the Secret with the certificate (cert-manager can create it)' });
  }
  const sectionOf = { s3: 's3', 'azure-blob': 'azureBlob', 'google-storage': 'googleStorage', 'aliyun-oss': 'aliyunOss' } as const;
  const type = dify.storage?.type;
  if (type && type in sectionOf && !dify.storage?.[sectionOf[type as keyof typeof sectionOf]]) {
    const key = sectionOf[type as keyof typeof sectionOf];
    issues.push({ path: ['dify', 'storage', key], input: undefined, message: `storage type ${type} needs its settings under dify.storage.${key}` });
  }
  // A section of another type than the one in use does nothing: refused, so nobody believes the files go there.
  const typeOfSection = { minio: 'minio', volume: 'volume', ...Object.fromEntries(Object.entries(sectionOf).map(([kind, key]) => [key, kind])) } as Record<string, string>;
  const inUse = type ?? 'minio';
  for (const [key, kind] of Object.entries(typeOfSection)) {
    const section = (dify.storage as Record<string, unknown> | undefined)?.[key];
    if (section !== undefined && kind !== inUse) {
      issues.push({ path: ['dify', 'storage', key], input: section,
        message: `is for storage type ${kind}, and the files go to ${inUse} (dify.storage.type${type ? '' : ', by default'}): remove it, or set type: ${kind}` });
    }
  }
  if (dify.externalSecret && dify.existingSecret) {
    issues.push({ path: ['dify', 'externalSecret'], input: dify.externalSecret.remoteKey,
      message: 'is one way to provide the app Secret and existingSecret is another: give one of them' });
  }
  if (dify.redisMode === 'sentinel' && !features.sentinel) {
    issues.push({ path: ['dify', 'redisMode'], input: dify.redisMode,
      message: `Dify ${features.version} has no Redis Sentinel support (its Celery fails on a sentinel:// broker); use direct` });
  }
  if (dify.pluginDaemon?.maxPackageSize !== undefined && !features.pluginDaemonTag) {
    issues.push({ path: ['dify', 'pluginDaemon', 'maxPackageSize'], input: dify.pluginDaemon.maxPackageSize,
      message: `Dify ${features.version} has no plugin daemon` });
  }
  if (config.collaboration && !features.websocketService) {
    issues.push({ path: ['dify', 'collaboration', 'enabled'], input: true,
      message: `Dify ${features.version} has no websocket service for collaboration; it came with 1.14.1` });
  }
  if (config.agent && !features.agent) {
    issues.push({ path: ['dify', 'agent', 'enabled'], input: true, message: `Dify ${features.version} has no Agent v2; it came with 1.16` });
  }
  issues.push(...mountIssues(dify, components));
  for (const name of components) {
    const own = settingsAt(dify, COMPONENT_SETTINGS_PATH[name]) as { replicas?: number; autoscaling?: object } | undefined;
    if (own?.replicas !== undefined && own.autoscaling !== undefined) {
      issues.push({ path: ['dify', ...COMPONENT_SETTINGS_PATH[name], 'replicas'], input: own.replicas,
        message: 'is decided by autoscaling: give autoscaling.minReplicas and maxReplicas instead' });
    }
  }
  issues.push(...envIssues(['dify', 'backendEnv'], dify.backendEnv));
  for (const name of components) {
    const path = COMPONENT_SETTINGS_PATH[name];
    issues.push(...envIssues(['dify', ...path, 'env'], settingsAt(dify, path)?.env));
  }
  return issues;
}

/**
 * A user's variables may add and tune, never rewire; a credential comes from a Secret, never as a literal.
 * `settingOf` says which setting wires a name (the chart tier wires fewer than the native one).
 */
export function envIssues(path: readonly (string | number)[], entries: readonly ExtraEnvVar[] | undefined,
  settingOf: (name: string) => string | undefined = wiredSetting): Issue[] {
  const issues: Issue[] = [];
  (entries ?? []).forEach((entry, index) => {
    const setting = settingOf(entry.name);
    if (setting) {
      issues.push({ path: [...path, index, 'name'], input: entry.name, message: `the platform sets ${entry.name}; to change it use ${setting}` });
    } else if (entry.value !== undefined && entry.value !== '' && isCredentialName(entry.name)) {
      issues.push({ path: [...path, index, 'value'], input: '(hidden)',
        message: `${entry.name} looks like a credential: give it with valueFrom.secretKeyRef, never as a value in git` });
    } else {
      const problem = typeof entry.value === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(entry.value) ? urlCredentialProblem(entry.value) : undefined;
      if (problem) {
        issues.push({ path: [...path, index, 'value'], input: '(hidden)',
          message: `${entry.name} is a URL that ${problem}: give the URL without it and the credential in a variable of its own from valueFrom.secretKeyRef` });
      }
    }
  });
  return issues;
}

/** An extra mount must name one of the extra volumes its pods get (from `dify.pods` or its component). */
function mountIssues(dify: DifySettings, components: readonly DifyComponent[]): Issue[] {
  const sections: [readonly string[], PodSettings | undefined][] = [
    [['pods'], dify.pods], ...components.map((name): [readonly string[], PodSettings | undefined] =>
      [COMPONENT_SETTINGS_PATH[name], settingsAt(dify, COMPONENT_SETTINGS_PATH[name]) as PodSettings | undefined]),
  ];
  const podVolumes = (dify.pods?.extraVolumes ?? []).map((volume) => volume.name);
  return sections.flatMap(([path, pod]) => (pod?.extraVolumeMounts ?? []).flatMap((mount, index): Issue[] => {
    const volumes = new Set([...podVolumes, ...(pod?.extraVolumes ?? []).map((volume) => volume.name)]);
    return volumes.has(mount.name) ? [] : [{ path: ['dify', ...path, 'extraVolumeMounts', index, 'name'], input: mount.name,
      message: `must name one of the extraVolumes of these pods (${[...volumes].join(', ') || 'none given'})` }];
  }));
}
