/**
 * The rules of the native Dify tier across its settings: what the Dify version offers, settings that only make sense
 * together, requests against limits, extra mounts, and what a user's environment may set. They run on settings whose
 * shape is already known to be right.
 */
import { urlCredentialProblem } from '../config/grammar';
import { resourceIssues } from '../kubeblocks/cluster-rules';
import { Issue } from '../setting-issue';
import { COMPONENT_SETTINGS_PATH, DifyComponent, resolveDifyConfig, settingsAt } from './dify-config';
import { DifySettings } from './dify-settings';
import { ExtraEnvVar, PodSettings, ServiceAccountSettings } from './pod-settings';
import { SHARED_ACCOUNT } from './components/pod-identity';
import { resourceName } from './components/workload';
import { componentName } from './wiring/services';
import { SettingPointer } from '../setting-pointer';
import { wiredPointer } from './wiring/wired-env';
import { poolComponent, poolPath, workerPoolIssues } from './worker-pools';
import { plaintextCredential } from './wiring/credential-values';

/** What the rules read of a component's section (a fixed component's or a worker pool's). */
type ComponentSettings = PodSettings & { replicas?: number; autoscaling?: object; env?: readonly ExtraEnvVar[] };

/** Dify settings that only make sense together, or with the version. */
export function difyIssues(dify: DifySettings): Issue[] {
  const config = resolveDifyConfig(dify);
  const features = config.features;
  const components = Object.keys(config.components) as DifyComponent[];
  const issues: Issue[] = components
    .flatMap((name) => resourceIssues(['dify', ...COMPONENT_SETTINGS_PATH[name]], config.components[name].resources));
  config.workerPools.forEach((pool, index) => issues.push(...resourceIssues(poolPath(index), pool.resources)));
  if (dify.tls?.enabled && !dify.tls.secretName) {
    issues.push({ path: ['dify', 'tls', 'secretName'], input: dify.tls.secretName,
      message: 'TLS needs the name of the Secret with the certificate (cert-manager can create it)' });
  }
  const sectionOf = { s3: 's3', 'azure-blob': 'azureBlob', 'google-storage': 'googleStorage', 'aliyun-oss': 'aliyunOss' } as const;
  const type = dify.storage?.type;
  if (type && type in sectionOf && !dify.storage?.[sectionOf[type as keyof typeof sectionOf]]) {
    const key = sectionOf[type as keyof typeof sectionOf];
    issues.push({ path: ['dify', 'storage', key], input: undefined, message: `storage type ${type} needs its settings under dify.storage.${key}` });
  }
  // A section of another type than the one in use does nothing: refused, so nobody believes the files go there.
  const typeOfSection = { minio: 'minio', volume: 'volume', ...Object.fromEntries(Object.entries(sectionOf).map(([kind, key]) => [key, kind])) } as Record<string, string>;
  const inUse = type ?? 'minio';
  for (const [key, kind] of Object.entries(typeOfSection)) {
    const section = (dify.storage as Record<string, unknown> | undefined)?.[key];
    if (section !== undefined && kind !== inUse) {
      issues.push({ path: ['dify', 'storage', key], input: section,
        message: `is for storage type ${kind}, and the files go to ${inUse} (dify.storage.type${type ? '' : ', by default'}): remove it, or set type: ${kind}` });
    }
  }
  if (dify.externalSecret && dify.existingSecret) {
    issues.push({ path: ['dify', 'externalSecret'], input: dify.externalSecret.remoteKey,
      message: 'is one way to provide the app Secret and existingSecret is another: give one of them' });
  }
  if (dify.redisMode === 'sentinel' && !features.sentinel) {
    issues.push({ path: ['dify', 'redisMode'], input: dify.redisMode,
      message: `Dify ${features.version} has no Redis Sentinel support (its Celery fails on a sentinel:// broker); use direct` });
  }
  if (dify.pluginDaemon?.maxPackageSize !== undefined && !features.pluginDaemonTag) {
    issues.push({ path: ['dify', 'pluginDaemon', 'maxPackageSize'], input: dify.pluginDaemon.maxPackageSize,
      message: `Dify ${features.version} has no plugin daemon` });
  }
  if (config.collaboration && !features.websocketService) {
    issues.push({ path: ['dify', 'collaboration', 'enabled'], input: true,
      message: `Dify ${features.version} has no websocket service for collaboration; it came with 1.14.1` });
  }
  if (config.agent && !features.agent) {
    issues.push({ path: ['dify', 'agent', 'enabled'], input: true, message: `Dify ${features.version} has no Agent v2; it came with 1.16` });
  }
  // Every section with a component's settings under dify: the fixed components' and the worker pools'.
  const sections: [readonly (string | number)[], ComponentSettings | undefined][] = [
    ...components.map((name): [readonly string[], ComponentSettings | undefined] => [COMPONENT_SETTINGS_PATH[name], settingsAt(dify, COMPONENT_SETTINGS_PATH[name])]),
    ...(dify.worker?.pools ?? []).map((pool, index): [readonly (string | number)[], ComponentSettings] => [poolPath(index).slice(1), pool]),
  ];
  issues.push(...mountIssues(dify, sections), ...accountIssues(dify, components));
  for (const [path, own] of sections) {
    if (own?.replicas !== undefined && own.autoscaling !== undefined) {
      issues.push({ path: ['dify', ...path, 'replicas'], input: own.replicas,
        message: 'is decided by autoscaling: give autoscaling.minReplicas and maxReplicas instead' });
    }
  }
  issues.push(...envIssues(['dify', 'backendEnv'], dify.backendEnv));
  for (const [path, own] of sections) issues.push(...envIssues(['dify', ...path, 'env'], own?.env));
  issues.push(...workerPoolIssues(dify));
  return issues;
}

/**
 * A user's variables may add and tune, never rewire; a credential comes from a Secret, never as a literal.
 * `settingOf` says which setting wires a name (the chart tier wires fewer than the native one).
 */
export function envIssues(path: readonly (string | number)[], entries: readonly ExtraEnvVar[] | undefined,
  settingOf: (name: string) => SettingPointer | undefined = wiredPointer): Issue[] {
  const issues: Issue[] = [];
  (entries ?? []).forEach((entry, index) => {
    const pointer = settingOf(entry.name);
    if (pointer) {
      issues.push({ path: [...path, index, 'name'], input: entry.name, message: `the platform sets ${entry.name}; to change it use ${pointer.text}` });
    } else if (plaintextCredential(entry.name, entry.value)) {
      issues.push({ path: [...path, index, 'value'], input: '(hidden)',
        message: `${plaintextCredential(entry.name, entry.value)}: give it with valueFrom.secretKeyRef, never as a value in git` });
    } else {
      const problem = typeof entry.value === 'string' && /^[a-z][a-z0-9+.-]*:\/\//i.test(entry.value) ? urlCredentialProblem(entry.value) : undefined;
      if (problem) {
        issues.push({ path: [...path, index, 'value'], input: '(hidden)',
          message: `${entry.name} is a URL that ${problem}: give the URL without it and the credential in a variable of its own from valueFrom.secretKeyRef` });
      }
    }
  });
  return issues;
}

/** An extra mount must name one of the extra volumes its pods get (from `dify.pods` or its component). */
function mountIssues(dify: DifySettings, components: readonly [readonly (string | number)[], PodSettings | undefined][]): Issue[] {
  const sections: [readonly (string | number)[], PodSettings | undefined][] = [[['pods'], dify.pods], ...components];
  const podVolumes = (dify.pods?.extraVolumes ?? []).map((volume) => volume.name);
  return sections.flatMap(([path, pod]) => (pod?.extraVolumeMounts ?? []).flatMap((mount, index): Issue[] => {
    const volumes = new Set([...podVolumes, ...(pod?.extraVolumes ?? []).map((volume) => volume.name)]);
    return volumes.has(mount.name) ? [] : [{ path: ['dify', ...path, 'extraVolumeMounts', index, 'name'], input: mount.name,
      message: `must name one of the extraVolumes of these pods (${[...volumes].join(', ') || 'none given'})` }];
  }));
}

/**
 * Each ServiceAccount made here has a name of its own: two of one name would be one object written twice, with two
 * sets of annotations (the bootstrap Job's `dify-bootstrap` included; a worker pool's account too). Sharing one is
 * what `dify.pods` is for. Two names are never an account of Dify's pods, made or named: `default`, which every pod
 * that names no account runs as (the sandboxes and the SSRF proxies among them), so a cloud role annotated on it
 * would reach the code they run; and `dify-bootstrap`, whose Role writes the platform's Secrets.
 */
function accountIssues(dify: DifySettings, components: readonly DifyComponent[]): Issue[] {
  const made = new Map<string, string>([['dify-bootstrap', 'the bootstrap Job\'s']]);
  const sections: [readonly (string | number)[], ServiceAccountSettings | undefined, string][] = [
    [['pods'], dify.pods?.serviceAccount, SHARED_ACCOUNT],
    ...components.map((name): [readonly string[], ServiceAccountSettings | undefined, string] => [COMPONENT_SETTINGS_PATH[name],
      (settingsAt(dify, COMPONENT_SETTINGS_PATH[name]) as { serviceAccount?: ServiceAccountSettings } | undefined)?.serviceAccount,
      resourceName(componentName(name))]),
    ...(dify.worker?.pools ?? []).map((pool, index): [readonly (string | number)[], ServiceAccountSettings | undefined, string] => [
      poolPath(index).slice(1), pool.serviceAccount, resourceName(poolComponent(pool.name))]),
  ];
  const issues: Issue[] = [];
  for (const [path, account, madeAs] of sections) {
    const setting = `dify.${path.join('.')}.serviceAccount`.replace(/\.(\d+)\./g, '[$1].');
    if (account?.name === 'default') {
      issues.push({ path: ['dify', ...path, 'serviceAccount', 'name'], input: account.name,
        message: 'is the namespace\'s own account, which every pod that names none runs as (the sandboxes and SSRF proxies too): name an account of Dify\'s' });
      continue;
    }
    if (account?.name === 'dify-bootstrap' && !account.create) {
      issues.push({ path: ['dify', ...path, 'serviceAccount', 'name'], input: account.name,
        message: 'is the bootstrap Job\'s account, whose Role writes the platform\'s Secrets: name an account of Dify\'s' });
      continue;
    }
    if (!account?.create) continue;
    const name = account.name ?? madeAs;
    const other = made.get(name);
    if (other) {
      issues.push({ path: ['dify', ...path, 'serviceAccount', 'name'], input: name,
        message: `is the name of ${other} ServiceAccount, also made here: give this one another name, or use dify.pods.serviceAccount for both` });
    }
    made.set(name, `${setting}'s`);
  }
  return issues;
}
