/**
 * The rules of a database brought in (an existing KubeBlocks cluster or an external server) instead of one the
 * platform writes.
 */
import { Issue } from '../setting-issue';
import { ClusterModel } from './cluster-model';
import { DataTierSections } from './data-tier-sections';
import { existingClusterOf, ExternalDatabaseSettings, isBroughtIn } from './external-databases';
import { Engine, ENGINES } from './release-lines';

/** The settings only a database the platform runs reads: beside `existingCluster` or `external` they would do nothing. */
const CLUSTER_KEYS = ['replicas', 'resources', 'storage', 'name', 'version', 'terminationPolicy', 'spread', 'componentName', 'scheduling',
  'backup', 'restoreFrom', 'sentinel'];

/**
 * A database brought in is one or the other, and takes none of the settings of a cluster the platform would write.
 * (What Dify can be told for it is the platform's rule: lib/platform-rules.ts.)
 */
export function broughtInIssues(sections: DataTierSections): Issue[] {
  const issues: Issue[] = [];
  for (const engine of ENGINES) {
    const settings = sections[engine] as Record<string, unknown> | undefined;
    if (!settings || !isBroughtIn(settings)) continue;
    const how = settings.external !== undefined ? 'external' : 'existingCluster';
    if (settings.external !== undefined && settings.existingCluster !== undefined) {
      issues.push({ path: [engine, 'existingCluster'], input: settings.existingCluster, message: `is one database and ${engine}.external another: give one of them` });
    }
    for (const key of CLUSTER_KEYS.filter((name) => settings[name] !== undefined)) {
      issues.push({ path: [engine, key], input: settings[key], message: `does nothing: with ${engine}.${how} the platform writes no ${engine} cluster` });
    }
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
export function existingClusterIssues(sections: DataTierSections, namespace: string, models: Partial<Record<Engine, ClusterModel>>): Issue[] {
  const issues: Issue[] = [];
  const own = ENGINES.filter((engine) => models[engine] !== undefined).map((engine) => ({ engine, name: models[engine]!.name }));
  const existing = ENGINES.flatMap((engine) => {
    const setting = (sections[engine] as ExternalDatabaseSettings<unknown> | undefined)?.existingCluster;
    return setting === undefined ? [] : [{ engine, setting, ...existingClusterOf(setting) }];
  });
  existing.forEach(({ engine, setting, name, form }, index) => {
    const taken = own.find((cluster) => cluster.name === name);
    if (taken) {
      issues.push({ path: [engine, 'existingCluster'], input: setting,
        message: `is this platform's own ${taken.engine} cluster, which cannot be a ${engine} cluster: name a ${engine} cluster of namespace ${namespace} other than ${own.map((cluster) => cluster.name).join(', ')}` });
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
