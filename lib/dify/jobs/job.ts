/** Private helpers for the one-shot Jobs: a script ConfigMap and a Job that runs it, both named by content. */
import { ApiObject } from 'cdk8s';
import * as k8s from '../../k8s';
import { Construct } from 'constructs';
import { labelsOf, RESTRICTED_CONTAINER, syncWave } from '../components/workload';
import { hashedName } from '../wiring/project-files';


export interface ScriptJobSpec {
  /** Base of the Job and ConfigMap names, e.g. `dify-db-init`. */
  readonly base: string;
  readonly component: string;
  readonly version: string;
  readonly namespace: string;
  readonly wave: string;
  readonly image: string;
  /** File name under lib/dify/scripts and its content; absent for a Job that runs its image's own entrypoint. */
  readonly script?: { readonly name: string; readonly content: string };
  /** The command of a Job without a script; absent: the image's entrypoint. */
  readonly command?: readonly string[];
  /** Arguments to the command or entrypoint (the api image's `MODE=job` runs `flask <args>`). */
  readonly args?: readonly string[];
  readonly env: readonly k8s.EnvVar[];
  readonly resources: k8s.ResourceRequirements;
  readonly securityContext?: k8s.SecurityContext;
  readonly podSecurityContext?: k8s.PodSecurityContext;
  readonly serviceAccountName?: string;
  readonly initContainers?: readonly k8s.Container[];
  readonly volumes?: readonly k8s.Volume[];
  readonly volumeMounts?: readonly k8s.VolumeMount[];
  readonly backoffLimit?: number;
}

/**
 * The Job (and its script's ConfigMap), named `<base>-<hash of everything it runs>`: a changed spec is a new Job,
 * an unchanged one is the same object. No ttlSecondsAfterFinished: a GitOps tool would recreate the deleted Job
 * in a loop; finished Jobs stay until a later synth drops them (Argo CD prunes them).
 */
export function scriptJob(scope: Construct, id: string, spec: ScriptJobSpec): ApiObject {
  const name = hashedName(spec.base, spec);
  const labels = labelsOf(spec.component, spec.version);
  const scriptVolume = spec.script ? [{ name: 'script', configMap: { name, defaultMode: 0o555 } }] : [];
  const scriptMount = spec.script ? [{ name: 'script', mountPath: '/scripts', readOnly: true }] : [];
  if (spec.script) {
    new k8s.KubeConfigMap(scope, `${id}Script`, {
      metadata: { name, namespace: spec.namespace, labels, annotations: syncWave(spec.wave) },
      data: { [spec.script.name]: spec.script.content },
    });
  }
  return new k8s.KubeJob(scope, id, {
    metadata: { name, namespace: spec.namespace, labels, annotations: syncWave(spec.wave) },
    spec: {
      backoffLimit: spec.backoffLimit ?? 6,
      // One pod at a time: the database and migration steps must never run concurrently with themselves.
      parallelism: 1,
      completions: 1,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'OnFailure',
          enableServiceLinks: false,
          serviceAccountName: spec.serviceAccountName,
          automountServiceAccountToken: spec.serviceAccountName !== undefined,
          securityContext: spec.podSecurityContext,
          initContainers: spec.initContainers ? [...spec.initContainers] : undefined,
          containers: [{
            name: spec.component,
            image: spec.image,
            imagePullPolicy: 'IfNotPresent',
            command: spec.script ? ['/bin/sh', `/scripts/${spec.script.name}`] : spec.command ? [...spec.command] : undefined,
            args: spec.args ? [...spec.args] : undefined,
            env: [...spec.env],
            resources: spec.resources,
            securityContext: spec.securityContext ?? { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: true },
            volumeMounts: [...scriptMount, { name: 'tmp', mountPath: '/tmp' }, ...(spec.volumeMounts ?? [])],
          }],
          volumes: [...scriptVolume, { name: 'tmp', emptyDir: {} }, ...(spec.volumes ?? [])],
        },
      },
    },
  });
}

/** Small, fixed resources for the short-lived Jobs and init containers. */
export function jobResources(): k8s.ResourceRequirements {
  return {
    requests: { cpu: k8s.Quantity.fromString('50m'), memory: k8s.Quantity.fromString('64Mi') },
    limits: { cpu: k8s.Quantity.fromString('500m'), memory: k8s.Quantity.fromString('256Mi') },
  };
}
