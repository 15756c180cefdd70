/**
 * Private helpers: the Deployment and Service of one Dify component, written on the typed Kubernetes API so that
 * every default is chosen here on purpose (selectors, pull policy, security context, service links).
 */
import { ApiObject } from 'cdk8s';
import * as k8s from '../../k8s';
import { Construct } from 'constructs';
import { ResolvedResources } from '../../kubeblocks/component-settings';
import { ExtraEnvVar } from '../pod-settings';
import { spreadPlacement } from './pod-spread';


/**
 * Argo CD sync waves: clusters, then secrets and the database Job, then migration, then workloads, then the one-off
 * Jobs that need the workloads running (the plugin auto-upgrade backfill asks the plugin daemon).
 */
export const SYNC_WAVE = { clusters: '0', bootstrap: '1', migration: '2', workloads: '3', afterWorkloads: '4' } as const;

export function syncWave(wave: string): Record<string, string> {
  return { 'argocd.argoproj.io/sync-wave': wave };
}

/** `dify-<component>`, the name of a component's Deployment and Service (never a bare `dify`: see dify-facts.md). */
export function resourceName(component: string): string {
  return `dify-${component}`;
}

/** The immutable selector of a component's pods: stable across renames of constructs. */
export function selectorLabels(component: string): Record<string, string> {
  return { 'app.kubernetes.io/name': 'dify', 'app.kubernetes.io/component': component };
}

export function labelsOf(component: string, version: string): Record<string, string> {
  return { ...selectorLabels(component), 'app.kubernetes.io/part-of': 'dify', 'app.kubernetes.io/version': version };
}

export function resourceRequirements(resources: ResolvedResources): k8s.ResourceRequirements {
  const quantities = (side: { cpu: string; memory: string }) => ({
    cpu: k8s.Quantity.fromString(side.cpu), memory: k8s.Quantity.fromString(side.memory),
  });
  return { requests: quantities(resources.requests), limits: quantities(resources.limits) };
}

/** A literal environment variable. */
export function env(name: string, value: string | number | boolean): k8s.EnvVar {
  return { name, value: String(value) };
}

/** An environment variable read from a Secret key: the only way a credential reaches a container. */
export function secretEnv(name: string, ref: { readonly name: string; readonly key: string }): k8s.EnvVar {
  return { name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } };
}

/** User-supplied variables go last so they win over generated ones with the same name. Linear in the list sizes. */
export function withExtraEnv(generated: readonly k8s.EnvVar[], ...extra: (readonly ExtraEnvVar[])[]): k8s.EnvVar[] {
  // A later list wins over an earlier one (component env over backend env), and a later entry over an earlier one.
  const lastIndex = new Map<string, number>();
  const added = extra.flat();
  added.forEach((variable, index) => lastIndex.set(variable.name, index));
  const kept = added.filter((variable, index) => lastIndex.get(variable.name) === index);
  return [...generated.filter((variable) => !lastIndex.has(variable.name)), ...kept.map((variable) => ({ ...variable }))];
}

export function httpProbe(path: string, port: number, extra: Partial<k8s.Probe> = {},
  headers?: readonly { name: string; value: string }[]): k8s.Probe {
  return {
    httpGet: { path, port: k8s.IntOrString.fromNumber(port), httpHeaders: headers ? [...headers] : undefined },
    periodSeconds: 10,
    timeoutSeconds: 5,
    failureThreshold: 3,
    ...extra,
  };
}

/** A probe that only checks that the port accepts connections. */
export function tcpProbe(port: number, extra: Partial<k8s.Probe> = {}): k8s.Probe {
  return { tcpSocket: { port: k8s.IntOrString.fromNumber(port) }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 3, ...extra };
}

/** No privilege escalation and no added capabilities: what every component here can live with. */
export const RESTRICTED_CONTAINER: k8s.SecurityContext = {
  allowPrivilegeEscalation: false,
  capabilities: { drop: ['ALL'] },
  seccompProfile: { type: 'RuntimeDefault' },
};

export interface DeploymentSpec {
  readonly component: string;
  readonly version: string;
  readonly namespace: string;
  readonly image: string;
  readonly replicas: number;
  readonly resources: ResolvedResources;
  readonly env: readonly k8s.EnvVar[];
  readonly ports?: readonly k8s.ContainerPort[];
  readonly readinessProbe?: k8s.Probe;
  readonly livenessProbe?: k8s.Probe;
  readonly securityContext: k8s.SecurityContext;
  readonly podSecurityContext?: k8s.PodSecurityContext;
  readonly volumes?: readonly k8s.Volume[];
  readonly volumeMounts?: readonly k8s.VolumeMount[];
  readonly initContainers?: readonly k8s.Container[];
  /** `Recreate` for a component that must never run twice at once (beat) or holds a ReadWriteOnce volume. */
  readonly recreate?: boolean;
  readonly terminationGracePeriodSeconds?: number;
  /**
   * Replicas kept apart by node and zone (pod-spread.ts): for the components users reach, whose replicas are there
   * to survive a node.
   * @default false
   */
  readonly spread?: boolean;
}

/**
 * A component with more than one replica keeps at least one through voluntary disruptions (node drains). A single
 * replica gets none: a budget that allows no eviction would block every drain.
 */
function disruptionBudget(scope: Construct, id: string, spec: DeploymentSpec): void {
  if (spec.replicas < 2 || spec.recreate) return;
  new k8s.KubePodDisruptionBudget(scope, `${id}DisruptionBudget`, {
    metadata: { name: resourceName(spec.component), namespace: spec.namespace, labels: labelsOf(spec.component, spec.version), annotations: syncWave(SYNC_WAVE.workloads) },
    spec: { minAvailable: k8s.IntOrString.fromNumber(1), selector: { matchLabels: selectorLabels(spec.component) } },
  });
}

export function deployment(scope: Construct, id: string, spec: DeploymentSpec): ApiObject {
  const name = resourceName(spec.component);
  disruptionBudget(scope, id, spec);
  return new k8s.KubeDeployment(scope, id, {
    metadata: { name, namespace: spec.namespace, labels: labelsOf(spec.component, spec.version), annotations: syncWave(SYNC_WAVE.workloads) },
    spec: {
      replicas: spec.replicas,
      selector: { matchLabels: selectorLabels(spec.component) },
      strategy: spec.recreate ? { type: 'Recreate' } : undefined,
      template: {
        metadata: { labels: labelsOf(spec.component, spec.version) },
        spec: {
          // A Service named like an env prefix (DIFY_*) would inject variables that break the api: no service links.
          enableServiceLinks: false,
          automountServiceAccountToken: false,
          securityContext: spec.podSecurityContext,
          terminationGracePeriodSeconds: spec.terminationGracePeriodSeconds,
          ...(spec.spread ? spreadPlacement(selectorLabels(spec.component)) : {}),
          initContainers: spec.initContainers ? [...spec.initContainers] : undefined,
          containers: [{
            name: spec.component,
            image: spec.image,
            // Every image is pinned to a tag, so a node's cached copy is the right one.
            imagePullPolicy: 'IfNotPresent',
            env: [...spec.env],
            ports: spec.ports ? [...spec.ports] : undefined,
            readinessProbe: spec.readinessProbe,
            livenessProbe: spec.livenessProbe,
            resources: resourceRequirements(spec.resources),
            securityContext: spec.securityContext,
            volumeMounts: spec.volumeMounts?.length ? [...spec.volumeMounts] : undefined,
          }],
          volumes: spec.volumes?.length ? [...spec.volumes] : undefined,
        },
      },
    },
  });
}

export function service(scope: Construct, id: string, component: string, version: string, namespace: string,
  ports: readonly { name: string; port: number }[]): ApiObject {
  return new k8s.KubeService(scope, id, {
    metadata: { name: resourceName(component), namespace, labels: labelsOf(component, version), annotations: syncWave(SYNC_WAVE.workloads) },
    spec: {
      selector: selectorLabels(component),
      ports: ports.map((port) => ({ name: port.name, port: port.port, targetPort: k8s.IntOrString.fromNumber(port.port), protocol: 'TCP' })),
    },
  });
}
