/**
 * BorisPolonsky's chart laid out as the platform reads a chart, before its policy and hardening see it:
 *
 * - Its pods and Services say which component they are by a `component` label; they get the platform's
 *   `app.kubernetes.io/component` beside it, which the NetworkPolicies, the hardening rules and the checks select by.
 *   Deployment selectors are left as they are (they cannot change on a live cluster).
 * - Its containers take their environment through `envFrom` of a ConfigMap and a Secret per component. Both are put
 *   into each container's own `env`, before the container's entries (which win, as they win over envFrom): a
 *   ConfigMap's entries as values, a Secret's non-empty entries as references to that Secret. The ConfigMaps and
 *   Secrets are then not written, nor a ConfigMap no object uses (the nginx configuration of the proxy the platform
 *   does not run). Every non-empty Secret entry must be replaced by the platform's env or a secretKeyRef of the
 *   user's, which {@link unreplacedChartSecrets} checks after hardening: the chart's own Secrets, with credentials in
 *   their data, never reach the output.
 * - The pod annotations that hash those ConfigMaps and Secrets go: the pod template now holds their content, so a
 *   change still rolls the pods.
 */
import { podTemplateOf } from './harden';

type Json = Record<string, any>;

/** The chart's values section of a component, where it differs from the component's label. */
const VALUES_KEYS: Readonly<Record<string, string>> = { 'plugin-daemon': 'pluginDaemon' };

/** The label BorisPolonsky's chart names components by, and the platform's. */
const CHART_COMPONENT_LABEL = 'component';
const COMPONENT_LABEL = 'app.kubernetes.io/component';

/** The chart's objects, laid out for the platform; the Secrets whose entries were turned into references are named. */
export interface LaidOutObjects {
  readonly objects: Json[];
  /** The names of the chart's Secrets that are not written (their entries are references in the containers). */
  readonly replacedSecrets: ReadonlySet<string>;
}

export function layOutBorisObjects(rendered: readonly Json[], namespace: string): LaidOutObjects {
  const objects = rendered.map((object) => structuredClone(object));
  const configMaps = byName(objects, 'ConfigMap');
  const secrets = byName(objects, 'Secret');
  // What objects use other than by envFrom (which is inlined), read before the references to Secrets are written.
  const stillUsed = new Set(objects.flatMap((object) => [...namesUsedBy(object)]));
  const inlined = new Set<Json>();
  for (const object of objects) {
    labelComponent(object);
    const template = podTemplateOf(object);
    if (!template) continue;
    for (const annotation of Object.keys(template.metadata?.annotations ?? {})) {
      if (annotation.startsWith('checksum/')) delete template.metadata.annotations[annotation];
    }
    if (template.metadata?.annotations && Object.keys(template.metadata.annotations).length === 0) delete template.metadata.annotations;
    for (const container of [...(template.spec?.initContainers ?? []), ...(template.spec?.containers ?? [])]) {
      for (const used of inlineEnvFrom(container, configMaps, secrets)) inlined.add(used);
    }
  }
  // An inlined ConfigMap or Secret an object still uses another way (a volume, a key reference) stays. One the chart
  // writes into another namespace (kube-system) is never dropped quietly: the policy refuses it.
  const ours = (object: Json) => object.metadata?.namespace === undefined || object.metadata.namespace === namespace;
  const unused = objects.filter((object) => object.kind === 'ConfigMap' && !inlined.has(object) && ours(object));
  const dropped = [...inlined, ...unused].filter((object) => !stillUsed.has(`${object.kind}/${object.metadata.name}`));
  return {
    objects: objects.filter((object) => !dropped.includes(object)),
    replacedSecrets: new Set(dropped.filter((object) => object.kind === 'Secret').map((object) => object.metadata.name as string)),
  };
}

function byName(objects: readonly Json[], kind: string): Map<string, Json> {
  return new Map(objects.filter((object) => object.kind === kind).map((object) => [object.metadata?.name, object]));
}

/** `app.kubernetes.io/component` beside the chart's `component`, on the object, its pods and a Service's selector. */
function labelComponent(object: Json): void {
  const template = podTemplateOf(object);
  const component = template?.metadata?.labels?.[CHART_COMPONENT_LABEL] ?? object.metadata?.labels?.[CHART_COMPONENT_LABEL];
  if (typeof component === 'string') {
    object.metadata.labels = { ...object.metadata.labels, [COMPONENT_LABEL]: component };
    if (template) template.metadata.labels = { ...template.metadata.labels, [COMPONENT_LABEL]: component };
  }
  const selected = object.kind === 'Service' ? object.spec?.selector?.[CHART_COMPONENT_LABEL] : undefined;
  if (typeof selected === 'string') object.spec.selector = { ...object.spec.selector, [COMPONENT_LABEL]: selected };
}

/**
 * A container's envFrom of the chart's own ConfigMaps and Secrets, put into its env ahead of its own entries; the
 * objects it took entries from. An envFrom of anything else (a Secret the user made) stays.
 */
function inlineEnvFrom(container: Json, configMaps: ReadonlyMap<string, Json>, secrets: ReadonlyMap<string, Json>): Json[] {
  const used: Json[] = [];
  const fromSources: Json[] = [];
  const kept: Json[] = [];
  for (const source of container.envFrom ?? []) {
    const configMap = source.configMapRef && configMaps.get(source.configMapRef.name);
    const secret = source.secretRef && secrets.get(source.secretRef.name);
    const prefix: string = source.prefix ?? '';
    if (configMap) {
      used.push(configMap);
      for (const [key, value] of Object.entries(configMap.data ?? {})) fromSources.push({ name: `${prefix}${key}`, value: String(value) });
    } else if (secret) {
      used.push(secret);
      for (const [key, value] of Object.entries(secretEntries(secret))) {
        // An empty entry (a credential the platform left out of the values) is left unset, as the native tier leaves it.
        if (value !== '') fromSources.push({ name: `${prefix}${key}`, valueFrom: { secretKeyRef: { name: secret.metadata.name, key } } });
      }
    } else {
      kept.push(source);
    }
  }
  if (used.length === 0) return [];
  container.env = [...fromSources.filter((variable) => !(container.env ?? []).some((own: Json) => own.name === variable.name)), ...(container.env ?? [])];
  if (kept.length > 0) container.envFrom = kept;
  else delete container.envFrom;
  return used;
}

/** A Secret's entries, decoded (`data` is base64, `stringData` plain). */
function secretEntries(secret: Json): Record<string, string> {
  const decoded = Object.fromEntries(Object.entries(secret.data ?? {}).map(([key, value]) => [key, Buffer.from(String(value), 'base64').toString('utf8')]));
  return { ...decoded, ...secret.stringData };
}

/** The ConfigMaps and Secrets an object refers to (`ConfigMap/name`) other than by envFrom: by volume or key reference. */
function namesUsedBy(object: Json): Set<string> {
  const names = new Set<string>();
  const visit = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(visit);
    if (typeof node !== 'object' || node === null) return;
    const entry = node as Json;
    if (entry.configMapKeyRef?.name) names.add(`ConfigMap/${entry.configMapKeyRef.name}`);
    if (entry.configMap?.name) names.add(`ConfigMap/${entry.configMap.name}`);
    if (entry.secretKeyRef?.name) names.add(`Secret/${entry.secretKeyRef.name}`);
    if (entry.secret?.secretName) names.add(`Secret/${entry.secret.secretName}`);
    for (const [key, value] of Object.entries(entry)) if (key !== 'envFrom') visit(value);
  };
  visit(object.spec);
  return names;
}

/**
 * One line for each variable still taken from a chart Secret that is not written: the platform had no value for it
 * and the values gave none, so the container would not start (or would run without it).
 */
export function unreplacedChartSecrets(objects: readonly Json[], replaced: ReadonlySet<string>): string[] {
  const lines: string[] = [];
  for (const object of objects) {
    const template = podTemplateOf(object);
    const component: string = template?.metadata?.labels?.[COMPONENT_LABEL] ?? '';
    for (const container of [...(template?.spec?.initContainers ?? []), ...(template?.spec?.containers ?? [])]) {
      for (const variable of container.env ?? []) {
        const ref = variable.valueFrom?.secretKeyRef;
        if (ref && replaced.has(ref.name)) {
          lines.push(`${object.kind} ${object.metadata.name}: container ${container.name}: ${variable.name} would come from the chart's Secret ${ref.name}, `
            + `which holds it in plain text and is not written: give it by a secretKeyRef in dify.chart.values.${VALUES_KEYS[component] ?? component}.extraEnv`);
        }
      }
    }
  }
  return lines;
}
