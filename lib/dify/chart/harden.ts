/**
 * Hardening of a community chart's rendered objects, so the promises of the native tier hold for them too: no
 * credential as a value (the chart's literal keys become references to the platform's Secret), every image pinned,
 * no migration on start, pods that wait for their database, no service links, sync waves. Pure functions on the
 * objects as `helm template` wrote them; anything that cannot be made safe is refused with a line naming the object.
 */
import * as k8s from '../../k8s';
import { SecretKeyRef } from '../../kubeblocks/connections';
import { isPinnedImage, parseImageReference, urlCredentialProblem } from '../../config/grammar';
import { plaintextCredential } from '../wiring/credential-values';

type Json = Record<string, any>;

export interface HardeningRules {
  /** Variables whose value the platform's Secret gives, wherever the chart sets them (a value or another Secret). */
  readonly secretEnv: ReadonlyMap<string, SecretKeyRef>;
  /** Variables set on the main containers of a component (by its `app.kubernetes.io/component` label), replacing the chart's. */
  readonly componentEnv: Readonly<Record<string, readonly k8s.EnvVar[]>>;
  /** Variables the chart gives a component that are not for it (another program's, or read by none), removed. */
  readonly foreignEnv: Readonly<Record<string, readonly string[]>>;
  /** Init containers put first in a component's pods, as JSON. */
  readonly initContainers: Readonly<Record<string, readonly Json[]>>;
  /** Volumes those init containers mount, added to the component's pods, as JSON. */
  readonly volumes: Readonly<Record<string, readonly Json[]>>;
  /** The sync-wave annotation every object gets. */
  readonly syncWave: string;
  /** Labels every object's metadata gets (not its selectors or pods): the platform's part-of and Dify version. */
  readonly labels: Readonly<Record<string, string>>;
}

/** API versions Kubernetes 1.25 and later no longer serve: an object written in one would be refused on apply. */
const REMOVED_API_VERSIONS: ReadonlySet<string> = new Set([
  'extensions/v1beta1', 'networking.k8s.io/v1beta1', 'autoscaling/v2beta1', 'autoscaling/v2beta2', 'policy/v1beta1',
  'batch/v1beta1', 'apps/v1beta1', 'apps/v1beta2',
]);

/** Kinds whose pod template is at spec.template; a Job in a CronJob is one level further down. */
const POD_TEMPLATE_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet', 'Job']);

/** An object's name for error lines: `Deployment dify-api`. */
export function describeObject(object: Json): string {
  return `${object.kind} ${object.metadata?.name}`;
}

/** The hardened objects, or an Error whose message lists every object that cannot be made safe, one per line. */
export function hardenObjects(objects: readonly Json[], rules: HardeningRules): Json[] {
  const problems: string[] = [];
  const hardened = objects.map((object) => hardenObject(object, rules, problems));
  if (problems.length > 0) throw new Error(problems.join('\n'));
  return hardened;
}

function hardenObject(original: Json, rules: HardeningRules, problems: string[]): Json {
  const object: Json = structuredClone(original);
  const name = describeObject(object);
  if (REMOVED_API_VERSIONS.has(object.apiVersion)) {
    problems.push(`${name}: apiVersion ${object.apiVersion} is not served by Kubernetes 1.25 or later`);
  }
  const hook = object.metadata?.annotations?.['helm.sh/hook'];
  if (hook !== undefined) problems.push(`${name}: is a Helm hook (${hook}), which kubectl apply and GitOps tools would run as an ordinary object`);
  if (object.kind === 'Secret' && (object.data !== undefined || object.stringData !== undefined)) {
    problems.push(`${name}: a Secret with its values in the manifest would put them in git; the platform's Secrets hold every key`);
  }
  object.metadata = {
    ...object.metadata,
    // The chart labels its objects with its appVersion; the images run the platform's version.
    labels: { ...object.metadata?.labels, ...rules.labels },
    annotations: { ...object.metadata?.annotations, 'argocd.argoproj.io/sync-wave': rules.syncWave },
  };
  const template = podTemplateOf(object);
  if (template) hardenPod(template, name, rules, problems);
  return object;
}

/** An object's pod template: at spec.template, or in a CronJob's job template. */
export function podTemplateOf(object: Json): Json | undefined {
  if (POD_TEMPLATE_KINDS.has(object.kind)) return object.spec?.template;
  if (object.kind === 'CronJob') return object.spec?.jobTemplate?.spec?.template;
  return undefined;
}

function hardenPod(template: Json, objectName: string, rules: HardeningRules, problems: string[]): void {
  const component: string | undefined = template.metadata?.labels?.['app.kubernetes.io/component'];
  const spec: Json = template.spec ?? {};
  // A Service named like one of Dify's env prefixes would inject variables the api reads (DIFY_PORT): no links.
  spec.enableServiceLinks = false;
  // No Dify component calls the Kubernetes API.
  spec.automountServiceAccountToken = false;
  const forced = component ? rules.componentEnv[component] ?? [] : [];
  const waits = component ? rules.initContainers[component] ?? [] : [];
  if (waits.length > 0) spec.initContainers = [...waits.map((container) => structuredClone(container)), ...(spec.initContainers ?? [])];
  const volumes = component ? rules.volumes[component] ?? [] : [];
  if (volumes.length > 0) addVolumes(spec, volumes, objectName, problems);
  const main = new Set(spec.containers ?? []);
  for (const container of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    const where = `${objectName}: container ${container.name}`;
    const foreign = new Set(main.has(container) && component ? rules.foreignEnv[component] ?? [] : []);
    const given = (container.env ?? []).filter((variable: Json) => !foreign.has(variable.name));
    container.env = hardenEnv(given, main.has(container) ? forced : [], rules.secretEnv, where, problems);
    if (container.env.length === 0) delete container.env;
    const imageProblem = unpinnedImage(container.image);
    if (imageProblem) problems.push(`${where}: image ${container.image} ${imageProblem}`);
  }
  template.spec = spec;
}

/** The platform's volumes added to a pod; a chart volume of the same name would be ambiguous, so it is refused. */
function addVolumes(spec: Json, volumes: readonly Json[], objectName: string, problems: string[]): void {
  const taken = new Set((spec.volumes ?? []).map((volume: Json) => volume.name));
  for (const volume of volumes) {
    if (taken.has(volume.name)) problems.push(`${objectName}: volume ${volume.name} is the platform's own (its schema check): rename the chart's`);
  }
  spec.volumes = [...(spec.volumes ?? []), ...volumes.map((volume) => structuredClone(volume))];
}

/** Why an image is not pinned (the rule `dify.images` follows), or undefined when it is. */
export function unpinnedImage(image: unknown): string | undefined {
  if (typeof image !== 'string' || !parseImageReference(image)) return 'is not an image reference';
  return isPinnedImage(image) ? undefined : 'is not pinned to a tag other than latest or a digest: every node could pull a different image';
}

/**
 * A container's env with the platform's keys and variables in place, one entry per name (Kubernetes takes the last
 * of duplicates; it is kept at its first place so `$(VAR)` references keep working), every credential from a Secret.
 */
export function hardenEnv(variables: readonly Json[], forced: readonly k8s.EnvVar[], secretEnv: ReadonlyMap<string, SecretKeyRef>,
  where: string, problems: string[]): Json[] {
  const byName = new Map<string, Json>();
  for (const variable of [...variables, ...forced]) {
    const ref = secretEnv.get(variable.name);
    const entry = ref ? { name: variable.name, valueFrom: { secretKeyRef: { name: ref.name, key: ref.key } } } : { ...variable };
    if (byName.has(variable.name)) byName.delete(variable.name);
    byName.set(variable.name, entry);
  }
  const firstPlace = [...new Set([...variables, ...forced].map((variable) => variable.name as string))];
  const result = firstPlace.map((name) => byName.get(name)!);
  for (const [index, variable] of result.entries()) {
    if (plaintextCredential(variable.name, variable.value)) {
      problems.push(`${where}: ${variable.name} is a credential written as a value; give it by a secretKeyRef in dify.chart.values`);
    } else if (typeof variable.value === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(variable.value)) {
      // `$(REDIS_PASSWORD)` is Kubernetes' reference to another variable (the platform's broker URL): no literal.
      const literal = urlCredentialProblem(variable.value.replace(/\$\([A-Za-z_][A-Za-z0-9_]*\)/g, ''));
      if (literal) problems.push(`${where}: ${variable.name} is a URL that ${literal}; give the credential by a secretKeyRef in dify.chart.values`);
    }
    for (const reference of referencesIn(variable.value)) {
      const defined = result.slice(0, index).some((earlier) => earlier.name === reference);
      if (!defined && result.some((other) => other.name === reference)) {
        problems.push(`${where}: ${variable.name} uses $(${reference}) before it is defined, so Kubernetes would not expand it`);
      }
    }
  }
  return result;
}

/** The variables a value refers to as `$(VAR)` (`$$(VAR)` is an escaped literal). */
function referencesIn(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  return [...value.matchAll(/(?<!\$)\$\(([A-Za-z_][A-Za-z0-9_]*)\)/g)].map((match) => match[1]);
}
