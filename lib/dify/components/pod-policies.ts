/**
 * The pod settings a user gives (`dify.pods`, each component's own, the image pull settings), applied to every pod
 * of the Dify tier once its objects exist. They are written as JSON patches of the objects, so Kubernetes objects
 * from the config (tolerations, affinity, volumes) reach the output exactly as the user wrote them. Which settings
 * apply is read from each object's `app.kubernetes.io/component` label: a component's own settings win over
 * `dify.pods` key by key; Jobs and the embedded MinIO follow `dify.pods`.
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import { COMPONENT_SETTINGS_PATH, DifyComponent, settingsAt } from '../dify-config';
import { DifySettings, PodSettings } from '../dify-settings';
import { componentName } from '../wiring/services';
import { selectorLabels } from './workload';

const POD_KINDS = new Set(['Deployment', 'StatefulSet', 'Job']);
const POD_KEYS: readonly (keyof PodSettings)[] = ['nodeSelector', 'tolerations', 'affinity', 'topologySpreadConstraints', 'priorityClassName',
  'annotations', 'labels', 'securityContext', 'containerSecurityContext', 'extraVolumes', 'extraVolumeMounts'];
/** Maps merged key by key; everything else is replaced by the more specific setting. */
const MERGED_KEYS: ReadonlySet<keyof PodSettings> = new Set(['annotations', 'labels', 'securityContext', 'containerSecurityContext']);

/** The Dify component a kebab-case label names, if it has settings of its own. */
const COMPONENT_OF_LABEL: ReadonlyMap<string, DifyComponent> = new Map(
  (Object.keys(COMPONENT_SETTINGS_PATH) as DifyComponent[]).map((component) => [componentName(component), component]));

/** `dify.pods` with a component's own settings over it. */
export function podSettingsFor(settings: DifySettings, label: string): PodSettings {
  const component = COMPONENT_OF_LABEL.get(label);
  const own = (component ? settingsAt(settings, COMPONENT_SETTINGS_PATH[component]) : undefined) as PodSettings | undefined;
  const base = settings.pods ?? {};
  const merged: Record<string, unknown> = {};
  for (const key of POD_KEYS) {
    const value = MERGED_KEYS.has(key) && (base[key] || own?.[key]) ? { ...(base[key] as object), ...(own?.[key] as object) } : own?.[key] ?? base[key];
    if (value !== undefined) merged[key] = value;
  }
  return merged as PodSettings;
}

/** Whether any setting asks for a change: without one the objects are left as built (and synth stays fast). */
function anyPodPolicy(settings: DifySettings): boolean {
  const components = Object.values(COMPONENT_SETTINGS_PATH).map((path) => settingsAt(settings, path) as PodSettings | undefined);
  return settings.imagePullSecrets !== undefined || settings.imagePullPolicy !== undefined
    || [settings.pods, ...components].some((pod) => pod !== undefined && POD_KEYS.some((key) => pod[key] !== undefined));
}

/** Applies the pod settings to every pod template under `scope`. */
export function applyPodPolicies(scope: Construct, settings: DifySettings): void {
  if (!anyPodPolicy(settings)) return;
  for (const object of scope.node.findAll()) {
    if (!(object instanceof ApiObject) || !POD_KINDS.has(object.kind)) continue;
    const json = object.toJson();
    const label: string = json.metadata?.labels?.['app.kubernetes.io/component'] ?? '';
    for (const patch of podPatches(json.spec.template, label, podSettingsFor(settings, label), settings)) object.addJsonPatch(patch);
  }
}

/** The patches that turn one pod template into what the settings ask for. */
function podPatches(template: any, label: string, pod: PodSettings, settings: DifySettings): JsonPatch[] {
  const spec = template.spec;
  const at = (path: string) => `/spec/template/spec/${path}`;
  const patches: JsonPatch[] = [];
  const set = (path: string, value: unknown) => { if (value !== undefined) patches.push(JsonPatch.add(path, value)); };
  set(at('nodeSelector'), pod.nodeSelector);
  set(at('tolerations'), pod.tolerations);
  set(at('affinity'), pod.affinity);
  set(at('priorityClassName'), pod.priorityClassName);
  // A constraint without a selector would count no pods: it spreads this component's pods.
  set(at('topologySpreadConstraints'), pod.topologySpreadConstraints?.map((constraint) =>
    ({ labelSelector: { matchLabels: selectorLabels(label) }, ...constraint })));
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
