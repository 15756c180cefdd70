/**
 * The checks that need more than one setting, collected from the domains that own them: the clusters' rules
 * (lib/kubeblocks/), the Dify tier's and the chart's (lib/dify/), and the platform's across domains
 * (lib/platform-rules.ts). They run on settings whose shape is already known to be right; the order here is the
 * order of the error lines.
 */
import { chartIssues } from '../dify/chart/chart-rules';
import { difyIssues } from '../dify/dify-rules';
import { DifyPlatformProps, platformEngines, platformNamespace, platformReleaseLine } from '../dify-platform-props';
import { broughtInIssues, existingClusterIssues } from '../kubeblocks/brought-in-rules';
import { backupRepoIssues, clusterModelsOf, engineIssues, qdrantIssues } from '../kubeblocks/cluster-rules';
import { collisionIssues, databaseNameIssues, namespaceIssues, redisModeIssues, redisTlsIssues, vectorStoreIssues } from '../platform-rules';
import { Issue } from '../setting-issue';

/** `dify.backendEnv[2].name`: how a setting is written in an error line. */
export function settingPath(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : String(part))).join('.').replace(/\.\[/g, '[');
}

export function crossFieldIssues(props: DifyPlatformProps): Issue[] {
  const line = platformReleaseLine(props);
  const namespace = platformNamespace(props);
  const engines = platformEngines(props);
  const models = clusterModelsOf(props, engines, namespace, line);
  return [
    ...namespaceIssues(props),
    ...engines.flatMap((engine) => engineIssues(engine, props, models[engine]!)),
    ...collisionIssues(models),
    ...(models.qdrant ? qdrantIssues(props, models.qdrant) : []),
    ...vectorStoreIssues(props),
    ...broughtInIssues(props),
    ...redisModeIssues(props),
    ...redisTlsIssues(props),
    ...databaseNameIssues(props),
    ...existingClusterIssues(props, namespace, models),
    ...difyIssues(props.dify ?? {}),
    ...chartIssues(props.dify ?? {}),
    ...backupRepoIssues(props, line),
  ];
}
