/**
 * The settings a user gives for pods and components (`dify.pods`, each component's own, image pulls, Service type,
 * probe timings, autoscaling), applied to the Dify tier's objects once they exist. They are written as JSON patches of the objects, so Kubernetes objects
 * from the config (tolerations, affinity, volumes) reach the output exactly as the user wrote them. Which settings
 * apply is read from each object's `app.kubernetes.io/component` label: a component's own settings win over
 * `dify.pods` key by key; Jobs and the embedded MinIO follow `dify.pods`. A Job the settings change gets a new name
 * (its pod template cannot change in place).
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError, formatProblem } from '../../config/config-error';
import { poolComponent, poolPath } from '../worker-pools';
import { COMPONENT_SETTINGS_PATH, DifyComponent, settingsAt } from '../dify-config';
import { DifySettings } from '../dify-settings';
import { AutoscalingSettings, PodSettings, ProbeTimings, ServiceAccountSettings, ServingSettings } from '../pod-settings';
import * as k8s from '../../k8s';
import { componentName } from '../wiring/services';
import { hashedName } from '../wiring/project-files';
import { identityPatches, IdentitySources } from './pod-identity';
import { poolComponents } from '../worker-pools';
import { selectorLabels, SYNC_WAVE, syncWave } from './workload';

const POD_KINDS = new Set(['Deployment', 'StatefulSet', 'Job']);
const POD_KEYS: readonly (keyof PodSettings)[] = ['nodeSelector', 'tolerations', 'affinity', 'topologySpreadConstraints', 'priorityClassName',
  'annotations', 'labels', 'securityContext', 'containerSecurityContext', 'extraVolumes', 'extraVolumeMounts'];
/** Maps merged key by key; lists of volumes and mounts joined (by name); everything else replaced by the component's. */
const MERGED_KEYS: ReadonlySet<keyof PodSettings> = new Set(['annotations', 'labels', 'securityContext', 'containerSecurityContext']);
const JOINED_KEYS: ReadonlySet<keyof PodSettings> = new Set(['extraVolumes', 'extraVolumeMounts']);

/** `base` then `own`, an entry of `own` replacing the one of `base` with the same name. */
function joinByName(base: readonly Readonly<Record<string, unknown>>[] = [], own: readonly Readonly<Record<string, unknown>>[] = []) {
  const names = new Set(own.map((entry) => entry.name));
  return [...base.filter((entry) => !names.has(entry.name)), ...own];
}

/** The Dify component a kebab-case label names, if it has settings of its own. */
const COMPONENT_OF_LABEL: ReadonlyMap<string, DifyComponent> = new Map(
  (Object.keys(COMPONENT_SETTINGS_PATH) as DifyComponent[]).map((component) => [componentName(component), component]));

/** Where the settings of the pods with a component label are under `dify:`: a component's, or a worker pool's. */
function settingsPathOfLabel(settings: DifySettings, label: string): readonly (string | number)[] | undefined {
  const component = COMPONENT_OF_LABEL.get(label);
  if (component) return COMPONENT_SETTINGS_PATH[component];
  const pool = (settings.worker?.pools ?? []).findIndex((candidate) => poolComponent(candidate.name) === label);
  return pool >= 0 ? poolPath(pool).slice(1) : undefined;
}

/** The settings object at such a path. */
function settingsOfLabel(settings: DifySettings, label: string): Record<string, unknown> | undefined {
  const path = settingsPathOfLabel(settings, label);
  return path ? settingsAt(settings, path.map(String)) as Record<string, unknown> | undefined : undefined;
}

/** `dify.pods` with a component's own settings over it. */
export function podSettingsFor(settings: DifySettings, label: string): PodSettings {
  const own = settingsOfLabel(settings, label) as PodSettings | undefined;
  const base = settings.pods ?? {};
  const merged: Record<string, unknown> = {};
  for (const key of POD_KEYS) {
    const given = base[key] !== undefined || own?.[key] !== undefined;
    const value = !given ? undefined
      : MERGED_KEYS.has(key) ? { ...(base[key] as object), ...(own?.[key] as object) }
        : JOINED_KEYS.has(key) ? joinByName(base[key] as never, own?.[key] as never) : own?.[key] ?? base[key];
    if (value !== undefined) merged[key] = value;
  }
  return merged as PodSettings;
}

type ComponentSettings = PodSettings & ServingSettings & { readonly autoscaling?: AutoscalingSettings; readonly serviceAccount?: ServiceAccountSettings };
const COMPONENT_KEYS: readonly (keyof ComponentSettings)[] = [...POD_KEYS, 'service', 'livenessProbe', 'readinessProbe', 'startupProbe', 'autoscaling', 'serviceAccount'];

/** A component's own settings, for the label its objects carry. */
function ownSettings(settings: DifySettings, label: string): ComponentSettings | undefined {
  return settingsOfLabel(settings, label) as ComponentSettings | undefined;
}

/** Whether any setting asks for a change: without one the objects are left as built (and synth stays fast). */
function anyPolicy(settings: DifySettings): boolean {
  const components = [...Object.values(COMPONENT_SETTINGS_PATH).map((path) => settingsAt(settings, path) as ComponentSettings | undefined),
    ...(settings.worker?.pools ?? []) as readonly ComponentSettings[]];
  return settings.imagePullSecrets !== undefined || settings.imagePullPolicy !== undefined
    || [settings.pods as ComponentSettings | undefined, ...components].some((own) => own !== undefined && COMPONENT_KEYS.some((key) => own[key] !== undefined));
}

/**
 * Applies JSON patches to the object's final JSON. cdk8s's own `addJsonPatch` will not do: the generated Kubernetes
 * classes convert their JSON after applying patches, and that conversion drops plain values where it expects its
 * own types (a probe's port, a volume's `sizeLimit`), so the user's Kubernetes YAML would lose fields silently.
 */
function patchRendered(object: ApiObject, patches: readonly JsonPatch[]): void {
  if (patches.length === 0) return;
  const render = object.toJson.bind(object);
  object.toJson = () => JsonPatch.apply(render(), ...patches);
}

/**
 * Applies the settings to every pod template, Service and Deployment under `scope`; a volume or mount that would
 * collide with the platform's own stops synth with a line per collision (`source` names the config).
 */
export function applyComponentPolicies(scope: Construct, settings: DifySettings, source: string): void {
  if (!anyPolicy(settings)) return;
  const collisions = new Set<string>();
  for (const object of scope.node.findAll()) {
    if (object instanceof ApiObject && POD_KINDS.has(object.kind)) {
      const json = object.toJson();
      const label: string = json.metadata?.labels?.['app.kubernetes.io/component'] ?? '';
      for (const problem of collisionsWithPlatform(json.spec.template.spec, podSettingsFor(settings, label), settingsPathOf(settings, label))) {
        collisions.add(formatProblem(source, problem.setting, problem.value, `${problem.allowed} (in the pods of ${json.metadata.name})`));
      }
    }
  }
  if (collisions.size > 0) throw new ConfigError([...collisions]);
  const identities: IdentitySources = { own: (label) => ownSettings(settings, label)?.serviceAccount, shared: settings.pods?.serviceAccount, pools: poolComponents(settings) };
  // Every object is read before any is added (the ServiceAccounts, the autoscalers): findAll is a snapshot.
  for (const object of scope.node.findAll()) {
    if (!(object instanceof ApiObject)) continue;
    const json = object.toJson();
    const label: string = json.metadata?.labels?.['app.kubernetes.io/component'] ?? '';
    const own = ownSettings(settings, label);
    if (object.kind === 'Service' && own?.service) patchRendered(object, servicePatches(own.service));
    if (!POD_KINDS.has(object.kind)) continue;
    const patches = [...podPatches(json.spec.template, label, podSettingsFor(settings, label), settings),
      ...probePatches(json.spec.template.spec.containers[0], own), ...identityPatches(scope, object, json, label, identities)];
    patchRendered(object, object.kind === 'Job' ? [...patches, ...renamed(json, patches)] : patches);
    if (object.kind === 'Deployment' && own?.autoscaling) autoscale(object, json, own.autoscaling);
  }
}

/**
 * A Job's pod template cannot change (the API server refuses it), and a finished Job stays: one the settings change
 * gets a name of its own, `<base>-<hash>` over what it runs after the change, as the Job's builder names it
 * (job.ts). Unchanged, it keeps its name.
 */
function renamed(json: any, patches: readonly JsonPatch[]): JsonPatch[] {
  if (patches.length === 0) return [];
  const base = String(json.metadata.name).replace(/-[0-9a-f]{8}$/, '');
  const after = JsonPatch.apply(structuredClone(json), ...patches);
  return [JsonPatch.replace('/metadata/name', hashedName(base, { built: json.metadata.name, template: after.spec.template }))];
}

interface Collision { readonly setting: string; readonly value: unknown; readonly allowed: string }

/** Where a pod's extra volumes and mounts are set: the component's own section when it has them, else dify.pods. */
function settingsPathOf(settings: DifySettings, label: string): (key: 'extraVolumes' | 'extraVolumeMounts', name: unknown) => string {
  const path = settingsPathOfLabel(settings, label);
  const own = settingsOfLabel(settings, label) as PodSettings | undefined;
  return (key, name) => {
    const inOwn = (own?.[key] ?? []).some((entry) => entry.name === name || entry.mountPath === name);
    // `dify.worker.pools[0].extraVolumes`, as every error line writes a setting.
    return ['dify', ...(inOwn && path ? path : ['pods']), key].map((part) => (typeof part === 'number' ? `[${part}]` : part)).join('.').replace(/\.\[/g, '[');
  };
}

/**
 * A volume named like one of the pod's own (Kubernetes refuses the pair, and a merge by name would replace the
 * platform's), or a mount at, above or below a path the main container already mounts (it would hide the platform's
 * files or the image's): refused, since each would change what the platform's containers see.
 */
function collisionsWithPlatform(spec: any, pod: PodSettings, settingOf: ReturnType<typeof settingsPathOf>): Collision[] {
  const collisions: Collision[] = [];
  const own = new Set((spec.volumes ?? []).map((volume: any) => volume.name));
  for (const volume of pod.extraVolumes ?? []) {
    if (own.has(volume.name)) {
      collisions.push({ setting: settingOf('extraVolumes', volume.name), value: volume.name,
        allowed: `the pods already have a volume ${volume.name} of the platform's own; give yours another name` });
    }
  }
  const mounted: string[] = (spec.containers?.[0]?.volumeMounts ?? []).map((mount: any) => mount.mountPath);
  const seen: string[] = [];
  for (const mount of pod.extraVolumeMounts ?? []) {
    const path = String(mount.mountPath).replace(/\/+$/, '') || '/';
    const clash = [...mounted, ...seen].find((other) => nested(path, other.replace(/\/+$/, '') || '/'));
    if (clash) {
      collisions.push({ setting: settingOf('extraVolumeMounts', mount.mountPath), value: mount.mountPath,
        allowed: `the container already mounts ${clash}; a mount at, above or below it would hide what is there` });
    }
    seen.push(path);
  }
  return collisions;
}

/** Whether one absolute path is the other or lies inside it. */
function nested(a: string, b: string): boolean {
  const within = (inner: string, outer: string) => inner === outer || inner.startsWith(outer === '/' ? '/' : `${outer}/`);
  return within(a, b) || within(b, a);
}

/** One patch per annotation (JSON pointer: `~` and `/` escaped), so the Service keeps the annotations it has. */
function servicePatches(service: NonNullable<ServingSettings['service']>): JsonPatch[] {
  const pointer = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');
  return [
    ...(service.type ? [JsonPatch.add('/spec/type', service.type)] : []),
    ...Object.entries(service.annotations ?? {}).map(([key, value]) => JsonPatch.add(`/metadata/annotations/${pointer(key)}`, value)),
  ];
}

const PROBE_TIMINGS: readonly (keyof ProbeTimings)[] = ['initialDelaySeconds', 'periodSeconds', 'timeoutSeconds', 'failureThreshold', 'successThreshold'];

function timingsOf(timings: ProbeTimings): Partial<ProbeTimings> {
  return Object.fromEntries(PROBE_TIMINGS.filter((key) => timings[key] !== undefined).map((key) => [key, timings[key]]));
}

/** Probe timings over the component's probes; a startup probe checks what the readiness probe checks. */
function probePatches(container: any, own: ComponentSettings | undefined): JsonPatch[] {
  const at = (path: string) => `/spec/template/spec/containers/0/${path}`;
  const patches: JsonPatch[] = [];
  for (const probe of ['livenessProbe', 'readinessProbe'] as const) {
    if (own?.[probe] && container[probe]) patches.push(JsonPatch.add(at(probe), { ...container[probe], ...timingsOf(own[probe]!) }));
  }
  if (own?.startupProbe && container.readinessProbe) {
    const { initialDelaySeconds: _ignored, ...check } = container.readinessProbe;
    patches.push(JsonPatch.add(at('startupProbe'), { ...check, ...timingsOf(own.startupProbe) }));
  }
  return patches;
}

/** The Deployment leaves its replica count to a HorizontalPodAutoscaler (its budget already follows minReplicas). */
function autoscale(deployment: ApiObject, json: any, autoscaling: AutoscalingSettings): void {
  patchRendered(deployment, [JsonPatch.remove('/spec/replicas')]);
  const target = (name: 'cpu' | 'memory', percent: number | undefined) => (percent === undefined ? [] : [{
    type: 'Resource', resource: { name, target: { type: 'Utilization', averageUtilization: percent } },
  }]);
  new k8s.KubeHorizontalPodAutoscalerV2(deployment.node.scope!, 'Autoscaler', {
    metadata: { name: json.metadata.name, namespace: json.metadata.namespace, labels: json.metadata.labels, annotations: syncWave(SYNC_WAVE.workloads) },
    spec: {
      scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: json.metadata.name },
      minReplicas: autoscaling.minReplicas ?? 1,
      maxReplicas: autoscaling.maxReplicas,
      metrics: [...target('cpu', autoscaling.targetCPUUtilizationPercentage), ...target('memory', autoscaling.targetMemoryUtilizationPercentage)],
    },
  });
}

/** The patches that turn one pod template into what the pod settings ask for. */
function podPatches(template: any, label: string, pod: PodSettings, settings: DifySettings): JsonPatch[] {
  const spec = template.spec;
  const at = (path: string) => `/spec/template/spec/${path}`;
  const patches: JsonPatch[] = [];
  const set = (path: string, value: unknown) => { if (value !== undefined) patches.push(JsonPatch.add(path, value)); };
  // An empty value is left out of the pod rather than written as {} or [].
  const setOrDrop = (path: string, value: Record<string, unknown> | unknown[], present: unknown) => {
    if (Object.keys(value).length > 0) set(path, value);
    else if (present !== undefined) patches.push(JsonPatch.remove(path));
  };
  set(at('nodeSelector'), pod.nodeSelector);
  set(at('tolerations'), pod.tolerations);
  // Key by key over the component's own (its anti-affinity, pod-spread.ts): `podAntiAffinity: {}` drops that one.
  if (pod.affinity) setOrDrop(at('affinity'), nonEmpty({ ...spec.affinity, ...pod.affinity }), spec.affinity);
  set(at('priorityClassName'), pod.priorityClassName);
  // A constraint without a selector would count no pods: it spreads this component's pods. The list replaces the
  // component's own; an empty one leaves the scheduler's defaults.
  if (pod.topologySpreadConstraints) {
    setOrDrop(at('topologySpreadConstraints'), pod.topologySpreadConstraints.map((constraint) =>
      ({ labelSelector: { matchLabels: selectorLabels(label) }, ...constraint })), spec.topologySpreadConstraints);
  }
  if (pod.annotations) set('/spec/template/metadata/annotations', { ...template.metadata?.annotations, ...pod.annotations });
  if (pod.labels) set('/spec/template/metadata/labels', { ...pod.labels, ...template.metadata?.labels });
  if (pod.securityContext) set(at('securityContext'), { ...spec.securityContext, ...pod.securityContext });
  if (pod.containerSecurityContext) set(at('containers/0/securityContext'), { ...spec.containers[0].securityContext, ...pod.containerSecurityContext });
  if (pod.extraVolumes) set(at('volumes'), [...(spec.volumes ?? []), ...pod.extraVolumes]);
  if (pod.extraVolumeMounts) set(at('containers/0/volumeMounts'), [...(spec.containers[0].volumeMounts ?? []), ...pod.extraVolumeMounts]);
  if (settings.imagePullSecrets) set(at('imagePullSecrets'), settings.imagePullSecrets.map((name) => ({ name })));
  if (settings.imagePullPolicy) {
    (spec.initContainers ?? []).forEach((_: unknown, i: number) => set(at(`initContainers/${i}/imagePullPolicy`), settings.imagePullPolicy));
    spec.containers.forEach((_: unknown, i: number) => set(at(`containers/${i}/imagePullPolicy`), settings.imagePullPolicy));
  }
  return patches;
}

/** The keys of an affinity that say something. */
function nonEmpty(affinity: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(affinity).filter(([, value]) => value !== null && typeof value === 'object' && Object.keys(value).length > 0));
}
