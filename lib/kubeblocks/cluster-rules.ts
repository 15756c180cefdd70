/**
 * The rules of the clusters the platform writes, across their settings: what the release line offers, the names
 * KubeBlocks derives, requests against limits, and what a BackupRepo's provider needs. They run on settings whose
 * shape is already known to be right, on the same model each construct builds.
 */
import { Issue } from '../setting-issue';
import { quantityValue } from '../quantity';
import { ENGINE_BACKUP } from './backup-methods';
import { ClusterModel, derivedLabelsOf } from './cluster-model';
import { ResolvedResources } from './component-settings';
import { DataTierSections } from './data-tier-sections';
import { milvusClusterModel } from './milvus-cluster';
import { MAX_DNS_LABEL } from './naming';
import { postgresqlClusterModel } from './postgresql-cluster';
import { qdrantClusterModel } from './qdrant-cluster';
import { redisClusterModel } from './redis-cluster';
import { Engine, isOfferedVersion, RELEASE_LINES, ReleaseLine } from './release-lines';
import { BACKUP_PROVIDERS, STORAGE_PROVIDERS } from './storage-providers';

/** The model each engine's construct builds from its settings: the same function, so the same defaults. */
const CLUSTER_MODELS: Readonly<Record<Engine, (sections: DataTierSections, namespace: string, line: ReleaseLine) => ClusterModel>> = {
  postgresql: (sections, namespace, line) => postgresqlClusterModel({ ...sections.postgresql, namespace, releaseLine: line }),
  redis: (sections, namespace, line) => redisClusterModel({ ...sections.redis, namespace, releaseLine: line }),
  qdrant: (sections, namespace, line) => qdrantClusterModel({ ...sections.qdrant, namespace, releaseLine: line }),
  milvus: (sections, namespace, line) => milvusClusterModel({ ...sections.milvus, namespace, releaseLine: line }),
};

/** The model of each cluster the platform writes (`engines`), by engine. */
export function clusterModelsOf(sections: DataTierSections, engines: readonly Engine[], namespace: string, line: ReleaseLine): Partial<Record<Engine, ClusterModel>> {
  return Object.fromEntries(engines.map((engine) => [engine, CLUSTER_MODELS[engine](sections, namespace, line)]));
}

/** One cluster's settings against what its release line and addon offer, its derived names and its resources. */
export function engineIssues(engine: Engine, sections: DataTierSections, model: ClusterModel): Issue[] {
  const line = model.releaseLine;
  const facts = RELEASE_LINES[line];
  const settings = sections[engine];
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

/** Each copy of a Qdrant collection needs a peer of its own. */
export function qdrantIssues(sections: DataTierSections, model: ClusterModel): Issue[] {
  const factor = sections.qdrant?.replicationFactor;
  const replicas = model.components[0].replicas;
  return factor !== undefined && factor > replicas
    ? [{ path: ['qdrant', 'replicationFactor'], input: factor, message: `must be at most qdrant.replicas (${replicas}): each copy needs its own peer` }]
    : [];
}

/** A request above its limit: Kubernetes would refuse the pod at apply time, so synth refuses it first. */
export function resourceIssues(path: readonly (string | number)[], resources: ResolvedResources): Issue[] {
  return (['cpu', 'memory'] as const)
    .filter((resource) => quantityValue(resources.requests[resource]) > quantityValue(resources.limits[resource]))
    .map((resource) => ({ path: [...path, 'resources', 'requests', resource], input: resources.requests[resource],
      message: `a request must not exceed its limit (${resources.limits[resource]}); raise resources.limits.${resource} too` }));
}

/** A storage provider the release line's KubeBlocks chart does not install would leave the repo pending forever. */
export function backupRepoIssues(sections: DataTierSections, line: ReleaseLine): Issue[] {
  const provider = sections.backupRepo?.provider;
  if (provider === undefined || STORAGE_PROVIDERS[provider].releaseLines.includes(line)) return [];
  return [{ path: ['backupRepo', 'provider'], input: provider,
    message: `KubeBlocks ${line} installs no ${provider} StorageProvider: use ${BACKUP_PROVIDERS.filter((name) => STORAGE_PROVIDERS[name].releaseLines.includes(line)).join(', ')}` }];
}
