/**
 * Guard rails: before synth replaces a platform's file in dist/, each rule compares what the file describes now
 * with what is about to replace it, and refuses a change that loses data or cannot be applied. A reviewed change
 * goes through when the config lists the rule in `allowDestructive` (or synth runs with `--allow-destructive`).
 * Every rule is one entry of {@link GUARD_RULES}: a name, what it protects, and its check.
 */
import { compareVersions } from '../dify/features';
import { ClusterState, DataHome, PlatformState, smallerStorage } from './platform-state';
import { changedImmutableFields } from './workload-state';
import { Engine, majorUpgradeProblem, releaseLineOfClusterApi } from '../kubeblocks/release-lines';

/** One refusal: the setting that made it, its new value, and why. */
export interface Finding {
  readonly setting: string;
  readonly value: unknown;
  readonly reason: string;
}

export interface GuardRule {
  /** What `allowDestructive` lists to let such a change through. */
  readonly id: GuardRuleId;
  readonly check: (previous: PlatformState, next: PlatformState) => Finding[];
}

export const GUARD_RULE_IDS = [
  'difyDowngrade', 'storageShrink', 'clusterReplaced', 'terminationWipeOut', 'databaseDowngrade', 'releaseLineSwitch', 'qdrantScaleIn',
  'postgresqlMajorUpgrade', 'fileStoreSwitch', 'vectorStoreSwitch', 'dataMoved', 'workloadReplaced',
] as const;
export type GuardRuleId = (typeof GUARD_RULE_IDS)[number];

/** Dify's migrations go forward only: an older version on a newer schema fails, and its own migration cannot undo. */
const difyDowngrade: GuardRule = {
  id: 'difyDowngrade',
  check: (previous, next) => (previous.difyVersion && next.difyVersion && compareVersions(next.difyVersion, previous.difyVersion) < 0
    ? [{ setting: 'dify.version', value: next.difyVersion,
      reason: `the platform runs Dify ${previous.difyVersion} now, and Dify's schema migrations cannot be rolled back; to go back on purpose `
        + `(after restoring a database backup taken on ${next.difyVersion}), add allowDestructive: [difyDowngrade]` }]
    : []),
};

/** The clusters of both states, engine by engine, where the previous one exists. */
function clusterPairs(previous: PlatformState, next: PlatformState): [string, ClusterState, ClusterState | undefined][] {
  return Object.entries(previous.clusters ?? {}).map(([engine, before]) => [engine, before, next.clusters?.[engine]]);
}

/** Where a component's settings are: the main component's under the engine, Redis's sentinels under `sentinel`. */
const componentPath = (engine: string, index: number) => (index === 0 ? engine : `${engine}.sentinel`);

/**
 * A volume never shrinks: KubeBlocks (and Kubernetes) cannot, and the change would fail half-applied. The same for
 * the Dify tier's file volumes (the embedded MinIO's, the plugin daemon's, the files volume): a StatefulSet's claim
 * template cannot change at all, and a PVC cannot get smaller.
 */
const storageShrink: GuardRule = {
  id: 'storageShrink',
  check: (previous, next) => [
    ...clusterPairs(previous, next).flatMap(([engine, before, after]) => (after?.components ?? []).flatMap((component, index) => {
      const old = before.components[index]?.storage;
      return smallerStorage(component.storage, old) ? [{ setting: `${componentPath(engine, index)}.storage.size`, value: component.storage,
        reason: `the volumes are ${old} now and volumes cannot shrink; to start over with smaller ones (an empty database), add allowDestructive: [storageShrink]` }] : [];
    })),
    ...Object.entries(next.volumes ?? {}).flatMap(([object, volume]) => {
      const old = previous.volumes?.[object]?.size;
      return smallerStorage(volume.size, old) ? [{ setting: volume.setting, value: volume.size,
        reason: `the volume of ${object} is ${old} now and volumes cannot shrink; to start over with a smaller, empty one, add allowDestructive: [storageShrink]` }] : [];
    }),
  ],
};

/** A store that holds what Dify wrote moved elsewhere: the new one starts empty, whatever was in the old one stays there. */
function storeSwitch(id: GuardRuleId, store: 'vectorStore' | 'fileStore', setting: string, reason: (from: string, to: string) => string): GuardRule {
  return {
    id,
    check: (previous, next) => {
      const [from, to] = [previous[store], next[store]];
      return from && to && from !== to ? [{ setting, value: to, reason: `${reason(from, to)}; add allowDestructive: [${id}] to mean it` }] : [];
    },
  };
}

/** The vectors stay in the old store: every knowledge base would answer from an empty index until re-indexed. */
const vectorStoreSwitch = storeSwitch('vectorStoreSwitch', 'vectorStore', 'vectorStore', (from, to) => `Dify's vectors are in ${from} now, and ${to} `
  + 'starts empty: every knowledge base would find nothing until its documents are embedded again (docs/settings-guide.md#choosing-a-vector-store: flask vdb-migrate)');

/** The files uploaded so far stay in the old store: a new one starts empty, and every file link in Dify breaks. */
const fileStoreSwitch = storeSwitch('fileStoreSwitch', 'fileStore', 'dify.storage', (from) => `the uploaded files are in ${from} now, and the new `
  + 'store starts empty: every file uploaded so far would stay behind; copy them over first (mc mirror, rclone sync)');

/** Another name or namespace is another, empty, database; the old one goes with its termination policy. */
const clusterReplaced: GuardRule = {
  id: 'clusterReplaced',
  check: (previous, next) => clusterPairs(previous, next).flatMap(([engine, before, after]): Finding[] => {
    if (!after) {
      return [{ setting: engine, value: 'removed', reason: `the ${engine} cluster "${before.name}" holds data and would be deleted; `
        + 'to remove it on purpose, add allowDestructive: [clusterReplaced]' }];
    }
    if (after.name !== before.name || after.namespace !== before.namespace) {
      const [setting, was, now] = after.name !== before.name ? [`${engine}.name`, before.name, after.name] : ['namespace', before.namespace, after.namespace];
      return [{ setting, value: now, reason: `the ${engine} cluster is "${was}" now: another name or namespace makes a new, empty database `
        + 'beside the old one (deleted with it under Delete or WipeOut); to move on purpose, add allowDestructive: [clusterReplaced]' }];
    }
    return [];
  }),
};

/** What each home holds, as the refusal says it. */
const HOME_WORDS: Readonly<Record<DataHome, string>> = {
  database: 'Dify\'s database is', vectors: 'Dify\'s vectors are', plugins: 'the plugin daemon\'s database (the plugins installed) is',
};

/**
 * Dify's database, its vectors or the plugin daemon's database wired to another place, whatever the direction: the
 * platform's own cluster to an external server, an external server to a new (empty) cluster of the platform's, one
 * external host to another, one Qdrant URL to another, an external server to an existing cluster, a database renamed
 * on the same server (`postgresql.external.databases`). The new place holds none of what Dify wrote.
 * A move of the platform's own cluster (renamed, removed) is clusterReplaced's; this rule does not say it twice, nor
 * the plugin daemon's move with Dify's database when both went to another server.
 */
const dataMoved: GuardRule = {
  id: 'dataMoved',
  check: (previous, next) => (['database', 'vectors', 'plugins'] as const).flatMap((home): Finding[] => {
    const moved = (which: DataHome) => {
      const [from, to] = [previous.dataHomes?.[which], next.dataHomes?.[which]];
      return from !== undefined && to !== undefined && from !== to ? [from, to] : undefined;
    };
    const move = moved(home);
    if (!move || (home === 'plugins' && moved('database'))) return [];
    const [from, to] = move;
    // Another kind of vector store is vectorStoreSwitch's to say.
    if (home === 'vectors' && previous.vectorStore !== next.vectorStore) return [];
    const engine = home !== 'vectors' || previous.vectorStore === 'pgvector' ? 'postgresql' : previous.vectorStore;
    const replaced = clusterReplaced.check(previous, next).map((finding) => finding.setting.split('.')[0]);
    if (replaced.includes('namespace') || (engine !== undefined && replaced.includes(engine))) return [];
    const setting = home !== 'vectors' ? 'postgresql' : previous.vectorStore ?? 'vectorStore';
    return [{ setting, value: to, reason: `${HOME_WORDS[home]} at ${from} now, and ${to} holds none of it: `
      + `a move in either direction starts Dify empty there; copy the data first (pg_dump and restore${home === 'vectors' ? ', or flask vdb-migrate' : ''}), `
      + 'then add allowDestructive: [dataMoved] to mean it' }];
  }),
};

/** WipeOut deletes the backups with the cluster: a change to it deserves a second look. */
const terminationWipeOut: GuardRule = {
  id: 'terminationWipeOut',
  check: (previous, next) => clusterPairs(previous, next).flatMap(([engine, before, after]) =>
    (after?.terminationPolicy === 'WipeOut' && before.terminationPolicy !== 'WipeOut' ? [{
      setting: `${engine}.terminationPolicy`, value: 'WipeOut',
      reason: `it is ${before.terminationPolicy} now; WipeOut deletes the backups together with the cluster; add allowDestructive: [terminationWipeOut] to mean it`,
    }] : [])),
};

/** A database's data files are not readable by an older engine. */
const databaseDowngrade: GuardRule = {
  id: 'databaseDowngrade',
  check: (previous, next) => clusterPairs(previous, next).flatMap(([engine, before, after]) =>
    (after?.version && before.version && compareVersions(after.version, before.version) < 0 ? [{
      setting: `${engine}.version`, value: after.version,
      reason: `the cluster runs ${engine} ${before.version} now, and an older engine cannot read newer data files; add allowDestructive: [databaseDowngrade] after restoring a backup of that version`,
    }] : [])),
};

/** A PostgreSQL major is another component definition: changed in place, the new binaries refuse the old data. */
const postgresqlMajorUpgrade: GuardRule = {
  id: 'postgresqlMajorUpgrade',
  check: (previous, next) => clusterPairs(previous, next).flatMap(([engine, before, after]) => {
    const problem = after?.version && before.version ? majorUpgradeProblem(engine as Engine, before.version, after.version) : undefined;
    return problem ? [{ setting: `${engine}.version`, value: after!.version, reason: `${problem}; add allowDestructive: [postgresqlMajorUpgrade] for a cluster with no data to keep` }] : [];
  }),
};

/** Another KubeBlocks release line writes another API for the same cluster: it cannot be applied over it. */
const releaseLineSwitch: GuardRule = {
  id: 'releaseLineSwitch',
  check: (previous, next) => {
    const switched = clusterPairs(previous, next).find(([, before, after]) => after && after.apiVersion !== before.apiVersion);
    return switched ? [{ setting: 'kubeblocks.releaseLine', value: releaseLineOfClusterApi(switched[2]!.apiVersion) ?? switched[2]!.apiVersion,
      reason: `the clusters are written for ${switched[1].apiVersion} now; moving a running platform to another KubeBlocks release line is a migration `
        + '(KubeBlocks converts its objects itself), not a config change; add allowDestructive: [releaseLineSwitch] for a new platform' }] : [];
  },
};

/** Qdrant does not move shards off a peer that goes away (kubeblocks#6837): scaling in loses them. */
const qdrantScaleIn: GuardRule = {
  id: 'qdrantScaleIn',
  check: (previous, next) => {
    const before = previous.clusters?.qdrant?.components[0]?.replicas;
    const after = next.clusters?.qdrant?.components[0]?.replicas;
    return before !== undefined && after !== undefined && after < before ? [{ setting: 'qdrant.replicas', value: after,
      reason: `Qdrant runs ${before} peers now and does not move shards off a removed peer (kubeblocks#6837); move the shards first, then add allowDestructive: [qdrantScaleIn]` }] : [];
  },
};

/** How to make one object again so that the new spec applies, keeping what can be kept. */
function remakeSteps({ before, after, field }: ChangedObject): string {
  const where = after.namespace ? ` -n ${after.namespace}` : '';
  const target = `${after.kind.toLowerCase()}/${after.name}`;
  if (after.kind === 'PersistentVolumeClaim') {
    return `${after.kind} ${after.name} (${field}): its data stays on the old volume; copy it out, then kubectl delete${where} ${target}, then apply`;
  }
  if (after.kind !== 'StatefulSet') return `${after.kind} ${after.name} (${field}): kubectl delete${where} ${target} (its pods stop until the new ones start), then apply`;
  // An orphaned StatefulSet's pods and claims stay; the new one adopts them when its selector matches their labels.
  const grown = (after.claims ?? []).filter((claim, index) => claim.size && before.claims?.[index]?.size && claim.size !== before.claims[index].size);
  const grow = grown.length > 0 ? `kubectl patch${where} pvc ${grown.map((claim) => claim.name).join(' ')} -p '{"spec":{"resources":{"requests":{"storage":"${grown[0].size}"}}}}' `
    + '(a claim template never resizes the claims it made; their StorageClass must allow expansion), then ' : '';
  return `${after.kind} ${after.name} (${field}): ${grow}kubectl delete${where} --cascade=orphan ${target} (its pods and claims stay), then apply`;
}

type ChangedObject = ReturnType<typeof changedImmutableFields>[number];

/**
 * A field the API server never lets change (a Deployment's selector: the native tier and a community chart label
 * their pods differently under the same Deployment names; a StatefulSet's claim templates, even to grow them) fails
 * the apply half-way with `field is immutable`, and a GitOps tool retries it forever. The object has to be made again:
 * say which, and how, before anything is applied.
 */
const workloadReplaced: GuardRule = {
  id: 'workloadReplaced',
  check: (previous, next) => changedImmutableFields(previous.immutable ?? {}, next.immutable ?? {}).map((changed) => ({
    setting: changed.before.fromChart || changed.after.fromChart ? 'dify.chart' : 'dify', value: `${changed.after.kind} ${changed.after.name}`,
    reason: `the API server refuses this change on the live object (field is immutable): ${remakeSteps(changed)}; add allowDestructive: [workloadReplaced] to mean it`,
  })),
};

export const GUARD_RULES: readonly GuardRule[] = [difyDowngrade, storageShrink, clusterReplaced, dataMoved, terminationWipeOut, databaseDowngrade, releaseLineSwitch, qdrantScaleIn,
  postgresqlMajorUpgrade, fileStoreSwitch, vectorStoreSwitch, workloadReplaced];

/** The findings of every rule that is not allowed. */
export function guardRailFindings(previous: PlatformState, next: PlatformState, allowed: ReadonlySet<GuardRuleId> | 'all'): Finding[] {
  if (allowed === 'all') return [];
  return GUARD_RULES.filter((rule) => !allowed.has(rule.id)).flatMap((rule) => rule.check(previous, next));
}

/** A finding a rule made that the config (or `--allow-destructive`) lets through: what plan shows as overridden. */
export interface AllowedFinding {
  readonly rule: GuardRuleId;
  readonly finding: Finding;
}

/** The findings of every rule that is allowed: what a reviewed override lets through. */
export function allowedFindings(previous: PlatformState, next: PlatformState, allowed: ReadonlySet<GuardRuleId> | 'all'): AllowedFinding[] {
  return GUARD_RULES.filter((rule) => allowed === 'all' || allowed.has(rule.id)).flatMap((rule) => rule.check(previous, next).map((finding) => ({ rule: rule.id, finding })));
}
