/**
 * `npm run import-values`: a platform config from a community chart's values file (douban `dify` 0.4.x-0.9.x here,
 * BorisPolonsky's `dify-helm` in import-boris-values.ts), with
 * every value the settings guide's "Coming from the Helm charts" table maps carried to its setting, and one line for each
 * value that is not carried and why. A plaintext credential is never carried: its line names the Secret key to create
 * instead. What the platform wires itself (the data tier, keys, URLs, migration) is named with the setting that
 * decides it now.
 */
import { compareVersions, DEFAULT_DIFY_VERSION, DIFY_RELEASES } from '../dify/features';
import { wiredPointer } from '../dify/wiring/wired-env';
import { plaintextCredential } from '../dify/wiring/credential-values';
import { urlCredentialProblem } from '../config/grammar';
import { isMapping, Values } from '../dify/chart/chart-values';
import { backendVariables, envServices } from './env-services';


export interface ImportedConfig {
  /** The platform config, ready to be written as YAML. */
  readonly config: Values;
  /** One line per value that was not carried, with its reason. */
  readonly notes: readonly string[];
}

/** The charts whose values are understood. */
export const IMPORTABLE_CHARTS = ['douban', 'boris'] as const;

/** The douban chart's component sections, and the native component each one is. */
const COMPONENTS: Readonly<Record<string, string>> = { api: 'api', worker: 'worker', frontend: 'web', sandbox: 'sandbox', pluginDaemon: 'pluginDaemon' };
/** A beat of the chart (0.9.x) is Dify's beat. */
const BEAT_SECTIONS = ['workerBeat'];

/** Per component, the chart's keys carried as they are to the native component's setting of the same meaning. */
const COMPONENT_KEYS: Readonly<Record<string, string>> = {
  replicaCount: 'replicas', resources: 'resources', nodeSelector: 'nodeSelector', tolerations: 'tolerations', affinity: 'affinity',
  podAnnotations: 'annotations', podLabels: 'labels', priorityClassName: 'priorityClassName',
  securityContext: 'containerSecurityContext', podSecurityContext: 'securityContext',
  extraVolumes: 'extraVolumes', extraVolumeMounts: 'extraVolumeMounts',
};

/** The chart's credentials as values, and the key of the app Secret (`dify.existingSecret`) that holds each one here. */
const CREDENTIAL_VALUES: Readonly<Record<string, string>> = {
  'api.secretKey': 'SECRET_KEY', 'sandbox.apiKey': 'SANDBOX_API_KEY', 'pluginDaemon.serverKey': 'PLUGIN_DAEMON_KEY',
  'pluginDaemon.difyInnerApiKey': 'INNER_API_KEY_FOR_PLUGIN',
};

/** What a value is read with: its dotted path, marked as seen so it is not named as unknown. */
export type Take = (path: string) => unknown;

/** The config being written and the lines for what is not carried. */
export class Importer {
  readonly config: Values = {};
  readonly notes: string[] = [];
  private readonly seen = new Set<string>();
  /** The Secrets the config reads, by name: their keys, and whether the values already read them (so they exist). */
  private readonly secrets = new Map<string, { keys: Set<string>; exists: boolean; toAdd: Set<string> }>();
  /** Whether the values' SECRET_KEY was seen (and its keeping said). */
  private secretKeySeen = false;
  /** Variables another part of the import carried (a server's address and credentials), which env() leaves out. */
  readonly carried = new Set<string>();

  constructor(private readonly values: Values) {}

  /** The value at a dotted path, marked as seen. */
  readonly take: Take = (path) => {
    this.seen.add(path);
    return path.split('.').reduce<unknown>((node, key) => (isMapping(node) ? node[key] : undefined), this.values);
  };

  /**
   * The chart's SECRET_KEY: Dify signs sessions and encrypts the model providers' and tools' credentials with it, so
   * a platform over the same database must keep it. The bootstrap Job adds only the keys the app Secret lacks and
   * never changes one it finds (docs/architecture.md), so the old key in `dify-app-secrets` before the first apply is
   * kept; `dify.existingSecret` names a Secret of your own with every key instead.
   */
  keepSecretKey(at: string, given = true): void {
    this.secretKeySeen = true;
    this.note(at, `${given ? 'keep this SECRET_KEY' : 'not in these values, so the chart ran with its default SECRET_KEY (in its own values.yaml): keep that one'}: `
      + 'Dify encrypts the model providers\' and tools\' credentials with it, and a new one makes them unreadable; '
      + 'put it in the Secret dify-app-secrets before the first apply (the bootstrap Job adds the other keys and keeps it), '
      + 'or in a Secret of your own with every key the platform needs, named in dify.existingSecret');
    this.secret('dify-app-secrets', ['SECRET_KEY'], false);
  }

  /** A Secret the config reads, with the keys it reads from it; `exists` when the values read it already. */
  secret(name: string, keys: readonly string[], exists: boolean, toAdd: readonly string[] = []): void {
    const known = this.secrets.get(name) ?? { keys: new Set<string>(), exists, toAdd: new Set<string>() };
    for (const key of keys) known.keys.add(key);
    for (const key of toAdd) known.toAdd.add(key);
    this.secrets.set(name, known);
  }

  /**
   * The SECRET_KEY a chart ran with when its values give none: the chart's own default (`defaultAt`), which is
   * what encrypted the credentials in its database, so it must be kept all the same.
   */
  keepDefaultSecretKey(defaultAt: string): void {
    if (!this.secretKeySeen) this.keepSecretKey(defaultAt, false);
  }

  /** The config, with every value not taken named (one line each), then each Secret to create or keep. */
  result(): ImportedConfig {
    unknownValues(this, this.values, this.seen);
    const secrets = [...this.secrets].map(([name, { keys, exists, toAdd }]) => (exists
      ? `Secret ${name}: keep it, in the platform's namespace, with the keys ${[...keys].join(', ')}`
        + (toAdd.size > 0 ? `; add the keys ${[...toAdd].join(', ')} to it (kubectl edit secret ${name})` : '')
      : `Secret ${name}: create it in the platform's namespace with the keys ${[...keys].join(', ')} `
        + `(kubectl create secret generic ${name} ${[...keys].map((key) => `--from-literal=${key}=...`).join(' ')})`));
    return { config: this.config, notes: [...this.notes, ...secrets] };
  }

  /** Sets a dotted setting of the config. */
  set(setting: string, value: unknown): void {
    const keys = setting.split('.');
    let node = this.config;
    for (const key of keys.slice(0, -1)) node = (node[key] = isMapping(node[key]) ? node[key] : {}) as Values;
    node[keys[keys.length - 1]] = value;
  }

  note(path: string, why: string): void {
    this.notes.push(`${path}: not carried: ${why}`);
  }

  /** An env list (`global.extraBackendEnvs`, `<component>.envs`) into a native env list, entry by entry. */
  env(path: string, entries: unknown, setting: string): void {
    if (!Array.isArray(entries)) return this.note(path, 'it is not a list of variables');
    const kept: Values[] = [];
    entries.forEach((entry, index) => {
      const at = `${path}[${index}]`;
      const name = isMapping(entry) ? entry.name : undefined;
      if (!isMapping(entry) || typeof name !== 'string') return this.note(at, 'it is not a variable with a name');
      if (this.carried.has(name)) return undefined;
      if (name === 'SECRET_KEY') return this.keepSecretKey(`${at} (${name})`);
      const wired = wiredPointer(name);
      // The rule synth applies (credential-values.ts), and a URL with a credential in it: never carried in plain text.
      const url = typeof entry.value === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(entry.value) ? urlCredentialProblem(entry.value) : undefined;
      const secret = plaintextCredential(name, entry.value) !== undefined || url !== undefined;
      const plaintext = secret ? 'a plaintext secret, and ' : '';
      if (wired) return this.note(`${at} (${name})`, `${plaintext}the platform sets it; to change it use ${wired.text}`);
      if (secret) {
        return this.note(`${at} (${name})`, `a plaintext secret; create a Secret with it (kubectl create secret generic <name> --from-literal=${name}=...) `
          + `and give it as { name: ${name}, valueFrom: { secretKeyRef: { name: <name>, key: ${name} } } } in ${setting}`);
      }
      kept.push(entry);
    });
    if (kept.length > 0) this.set(setting, kept);
  }
}

/** The config a douban chart's values describe, and the lines for what is not carried. */
export function importValues(values: Values): ImportedConfig {
  const importer = new Importer(values);
  const take = importer.take;
  globalValues(importer, take);
  // The chart's one ServiceAccount (named as its release, `dify` by the README's install) runs every pod of it.
  serviceAccountValue(importer, take, 'serviceAccount', 'dify.pods.serviceAccount', 'dify');
  ingressValues(importer, take);
  embeddedValues(importer, take);
  for (const [section, component] of Object.entries(COMPONENTS)) componentValues(importer, take, section, component);
  for (const section of BEAT_SECTIONS) componentValues(importer, take, section, 'beat');
  for (const [path, key] of Object.entries(CREDENTIAL_VALUES)) {
    const value = take(path);
    if (typeof value !== 'string' || value === '') continue;
    if (key === 'SECRET_KEY') importer.keepSecretKey(path);
    else importer.note(path, `a plaintext secret; the platform generates ${key} in the cluster, or put yours in a Secret under the key ${key} and name it in dify.existingSecret`);
  }
  importer.keepDefaultSecretKey('global.extraBackendEnvs (SECRET_KEY)');
  return importer.result();
}

/** The image tag of the api as dify.version, when it is a version the platform runs. */
export function versionValue(importer: Importer, path: string): void {
  const tag = importer.take(path);
  if (typeof tag === 'string' && DIFY_RELEASES[tag]) return importer.set('dify.version', tag);
  const running = typeof tag === 'string' && tag !== '' ? `Dify ${tag}` : 'the chart\'s own Dify version';
  // Without dify.version the config runs this package's default: over the chart's database, a migration to it.
  const what = typeof tag === 'string' && /^\d+\.\d+\.\d+/.test(tag) && compareVersions(tag.replace(/[^\d.].*$/, ''), DEFAULT_DIFY_VERSION) > 0
    ? `a downgrade, which Dify's migrations cannot do: do not apply it over that database`
    : 'a schema migration of the database the chart ran: back it up first, or set dify.version to the supported version you mean';
  importer.note(path, `${running} is not a version this platform runs (${Object.keys(DIFY_RELEASES).join(', ')}); without dify.version the config runs `
    + `Dify ${DEFAULT_DIFY_VERSION}, ${what}`);
}

function globalValues(importer: Importer, take: Take): void {
  const host = take('global.host');
  if (typeof host === 'string' && host !== '') importer.set('dify.host', host);
  const tls = take('global.enableTLS');
  if (typeof tls === 'boolean') importer.set('dify.tls', { enabled: tls });
  versionValue(importer, 'global.image.tag');
  // The servers the backend variables point at come first: those variables are then carried, not refused.
  envServices(importer, take, backendVariables(take, ['global.extraBackendEnvs', 'global.extraEnvs']));
  const envs = take('global.extraBackendEnvs');
  if (envs !== undefined) importer.env('global.extraBackendEnvs', envs, 'dify.backendEnv');
  const extra = take('global.extraEnvs');
  if (extra !== undefined) importer.env('global.extraEnvs', extra, 'dify.backendEnv');
}

/** The chart's Ingress TLS: `global.enableTLS` with `ingress.tlsSecretName`, whose chart default is `dify-tls`. */
function ingressValues(importer: Importer, take: Take): void {
  ingressSettings(importer, take);
  const secret = take('ingress.tlsSecretName');
  const given = typeof secret === 'string' && secret !== '' ? secret : undefined;
  if (take('global.enableTLS') === true) importer.set('dify.tls.secretName', given ?? 'dify-tls');
  else if (given) importer.set('dify.tls.secretName', given);
}

/** `ingress.enabled`, `className` and `annotations`, which both charts name alike, as dify.ingress. */
export function ingressSettings(importer: Importer, take: Take): void {
  const enabled = take('ingress.enabled');
  const className = take('ingress.className');
  const annotations = take('ingress.annotations');
  const ingress: Values = {
    ...(enabled === false ? { enabled: false } : {}),
    ...(typeof className === 'string' && className !== '' ? { className } : {}),
    ...(isMapping(annotations) && Object.keys(annotations).length > 0 ? { annotations } : {}),
  };
  if (Object.keys(ingress).length > 0) importer.set('dify.ingress', ingress);
}

/** The chart's embedded servers: the platform runs its own instead (a server you run is env-services.ts's). */
function embeddedValues(importer: Importer, take: Take): void {
  for (const engine of ['redis', 'postgresql']) {
    if (take(`${engine}.embedded`) === true) {
      importer.note(`${engine}.embedded`, `the platform runs its own KubeBlocks ${engine} cluster (or ${engine}.external for one you run)`);
    }
  }
  // The embedded servers' own settings (images, passwords, persistence) do not carry to KubeBlocks clusters.
  for (const engine of ['redis', 'postgresql', 'minio']) {
    const section = take(engine);
    if (!isMapping(section)) continue;
    const embedded = section.embedded === true;
    for (const key of Object.keys(section).filter((name) => name !== 'embedded')) {
      take(`${engine}.${key}`);
      if (embedded && /password|auth/i.test(key)) importer.note(`${engine}.${key}`, 'the embedded server\'s credentials: the platform\'s clusters generate their own');
    }
  }
}

/** A value that says something: not unset, not an empty string, mapping or list (the charts' defaults). */
export function isGiven(value: unknown): boolean {
  return value !== undefined && value !== null && value !== '' && !(isMapping(value) && Object.keys(value).length === 0) && !(Array.isArray(value) && value.length === 0);
}

function componentValues(importer: Importer, take: Take, section: string, component: string): void {
  for (const [key, setting] of Object.entries(COMPONENT_KEYS)) {
    const value = take(`${section}.${key}`);
    if (isGiven(value)) importer.set(`dify.${component}.${setting}`, value);
  }
  autoscalingValue(importer, take(`${section}.autoscaling`), component);
  const serviceType = take(`${section}.service.type`);
  if (typeof serviceType === 'string' && serviceType !== 'ClusterIP') importer.set(`dify.${component}.service`, { type: serviceType });
  const envs = take(`${section}.envs`);
  if (envs !== undefined) importer.env(`${section}.envs`, envs, `dify.${component}.env`);
}

/**
 * A chart's ServiceAccount (`create`, `name`, `annotations`, as both charts name them) as the identity the platform
 * gives the pods that run Dify's api code: kept by name, so a cloud role that trusts it (IRSA, workload identity)
 * keeps working. One made without annotations carries no identity and is left out. `fallbackName` is the name the
 * chart gives one it makes.
 */
export function serviceAccountValue(importer: Importer, take: Take, path: string, setting: string, fallbackName: string): void {
  const account = take(path);
  if (!isMapping(account)) return;
  for (const key of Object.keys(account)) take(`${path}.${key}`);
  const name = typeof account.name === 'string' && account.name !== '' ? account.name : undefined;
  const annotations = isMapping(account.annotations) && Object.keys(account.annotations).length > 0 ? account.annotations : undefined;
  if (account.create === true && annotations) importer.set(setting, { create: true, name: name ?? fallbackName, annotations });
  else if (account.create !== true && name) importer.set(setting, { name });
  if (account.automountServiceAccountToken === true) {
    importer.note(`${path}.automountServiceAccountToken`, 'no Dify pod gets a Kubernetes API token here; the clouds\' identity webhooks bring their own (docs/security.md)');
  }
}

/**
 * A chart's `autoscaling` (both charts: `enabled` and the HPA's bounds) as the component's: only when enabled, and
 * then instead of its replicas, which the autoscaler decides (the platform refuses both).
 */
export function autoscalingValue(importer: Importer, autoscaling: unknown, component: string): void {
  if (!isMapping(autoscaling) || autoscaling.enabled !== true) return;
  const { enabled: _enabled, ...bounds } = autoscaling;
  importer.set(`dify.${component}.autoscaling`, bounds);
  const dify = importer.config.dify as Values;
  if (isMapping(dify[component])) delete (dify[component] as Values).replicas;
}

/** Every leaf value the importer did not look at: named, one line each. */
function unknownValues(importer: Importer, values: Values, seen: ReadonlySet<string>, at = ''): void {
  for (const [key, value] of Object.entries(values)) {
    const path = at ? `${at}.${key}` : key;
    if (seen.has(path)) continue;
    if (isMapping(value) && [...seen].some((taken) => taken.startsWith(`${path}.`))) {
      unknownValues(importer, value, seen, path);
    } else {
      // The tables are in the settings guide (the README only links there), which the installed package ships.
      importer.note(path, 'it has no setting here; see docs/settings-guide.md#coming-from-the-helm-charts');
    }
  }
}
