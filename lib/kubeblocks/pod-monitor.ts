import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ClusterModel } from './cluster-model';
import { Engine, RELEASE_LINES } from './release-lines';

/** The labels KubeBlocks puts on a component's pods (both release lines), and what metrics keep of them. */
const INSTANCE_LABEL = 'app.kubernetes.io/instance';
const COMPONENT_LABEL = 'apps.kubeblocks.io/component-name';
const TARGET_LABELS = [INSTANCE_LABEL, 'app.kubernetes.io/managed-by', COMPONENT_LABEL, 'apps.kubeblocks.io/pod-name'];

/**
 * A Prometheus Operator PodMonitor (monitoring.coreos.com/v1) for the metrics ports of a cluster's main component,
 * as the addons' examples write it: selected by instance and component name, so backup and restore pods, which
 * carry the instance label too, are not scraped. Nothing when the engine serves no metrics on the release line.
 */
export function podMonitor(scope: Construct, id: string, engine: Engine, model: ClusterModel, labels: Readonly<Record<string, string>>): ApiObject | undefined {
  const ports = RELEASE_LINES[model.releaseLine].metricsPorts[engine];
  const component = model.components[0];
  if (ports.length === 0) return undefined;
  return new ApiObject(scope, id, {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PodMonitor',
    metadata: { name: `${model.name}-${component.name}`, namespace: model.namespace, labels: { ...labels } },
    spec: {
      jobLabel: 'app.kubernetes.io/managed-by',
      podTargetLabels: TARGET_LABELS,
      podMetricsEndpoints: ports.map((port) => ({ path: '/metrics', port, scheme: 'http' })),
      namespaceSelector: { matchNames: [model.namespace] },
      selector: { matchLabels: { [INSTANCE_LABEL]: model.name, [COMPONENT_LABEL]: component.name } },
    },
  });
}
