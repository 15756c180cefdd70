/**
 * The real KubeBlocks v1.0.2 operator (manager and data-protection controller, helpers/kubeblocks-operator.ts)
 * reconciles every platform of the 1.0 line: the platform files of dist/ and examples/dist/, and the variations of
 * helpers/platforms.ts that use what the operator decides on (other engine versions, backups, Milvus, Sentinel mode).
 * The operator accepts every Cluster, makes its Components, and every Secret (with the key), Service and pod our
 * objects name exists under that name; every pod selector of ours selects the pods made; each backup's policy and
 * method exist. No pod runs: a component that its topology provisions after another waits for that one to run, and
 * is reported, with the names it would make, as out of reach (docs/cluster-tests.md).
 */
import * as fs from 'fs';
import * as path from 'path';
import { platformYaml } from '../../main';
import { ControlPlane, startControlPlane } from '../helpers/cluster';
import { applyOk, createMissingNamespaces, manifestsOf, releaseLineOf, yamlFile } from '../helpers/cluster-apply';
import { describeWithOperator, list, startOperator, until } from '../helpers/kubeblocks-operator';
import { OperatorState, readState, restoreWait, unreachedComponent } from '../helpers/operator-state';
import { spawnSync } from 'child_process';
import { dump, load } from 'js-yaml';
import { accepted, backupPolicyOf, createOps, OPS, opsVerdict } from '../helpers/operator-ops';
import { operatorReferences, podSelectors, selects } from '../helpers/operator-references';
import { VARIATIONS } from '../helpers/platforms';

const ROOT = path.join(__dirname, '..', '..');
const files = ['dist', 'examples/dist'].flatMap((dir) => fs.readdirSync(path.join(ROOT, dir))
  .filter((file) => file.endsWith('.k8s.yaml')).map((file) => `${dir}/${file}`));
/** The variations whose Clusters, backups or wiring the operator decides on beyond the shipped platforms. */
const VARIATION_NAMES = ['every setting on 1.0', 'backups and a restore on 1.0', 'Milvus standalone with backups and monitoring',
  'Dify 1.16.1 with collaboration and Agent v2, in Sentinel mode'];
const PLATFORMS: [string, string][] = [
  ...files.map((file): [string, string] => [file, fs.readFileSync(path.join(ROOT, file), 'utf8')]),
  ...VARIATION_NAMES.map((name, i): [string, string] =>
    [name, platformYaml(`operator-${i}`, { ...VARIATIONS[name], namespace: `operator-${i}`, createNamespace: true })]),
].filter(([, yaml]) => releaseLineOf(yaml) === '1.0');

/** Each Secret (and key) our objects read that the operator made under no such name, where it got that far. */
function missingSecrets(references: ReturnType<typeof operatorReferences>, state: OperatorState): string[] {
  return references.secrets.filter((ref) => state.reached(ref.secret))
    .filter((ref) => !state.secrets.has(ref.secret) || (ref.key !== undefined && !state.secrets.get(ref.secret)!.includes(ref.key)))
    .map((ref) => `${ref.from}: secret ${ref.secret} key ${ref.key} (present: ${state.secrets.get(ref.secret) ?? 'none'})`);
}

/** Each Service and pod our objects reach by name that the operator made under no such name. */
function missingServices(references: ReturnType<typeof operatorReferences>, state: OperatorState): string[] {
  return [
    ...references.services.filter((ref) => state.reached(ref.name) && !state.services.has(ref.name)).map((ref) => `${ref.from}: service ${ref.name}`),
    ...references.pods.filter((ref) => state.reached(ref.name) && !state.podReachable(ref.name)).map((ref) => `${ref.from}: pod ${ref.name}`),
  ];
}

describeWithOperator()('the KubeBlocks v1.0.2 operator reconciles the platforms of the 1.0 line', () => {
  let cluster: ControlPlane;
  beforeAll(async () => {
    cluster = await startControlPlane();
    await startOperator(cluster);
  });
  afterAll(async () => { await cluster?.stop(); });

  describe.each(PLATFORMS)('%s', (name, yaml) => {
    const references = operatorReferences(yaml);
    let state: OperatorState;
    beforeAll(async () => {
      createMissingNamespaces(cluster, yaml);
      applyOk(cluster, yamlFile(cluster, yaml, name));
      // Until each name our objects give is there or its component is out of reach (bounded; the tests say what is not).
      await until(`${name}: reconciled`, 300000, () => {
        state = readState(cluster, references.namespace, yaml);
        return state.settled(references);
      }, () => state.describe(references));
    });

    it('every Cluster is accepted: provisioning started, resources applied, no error condition', () => {
      for (const object of state.clusters) {
        const conditions = Object.fromEntries((object.status?.conditions ?? []).map((c: { type: string }) => [c.type, c]));
        expect({ name: object.metadata.name, phase: object.status?.phase, provisioning: conditions.ProvisioningStarted?.status, applied: conditions.ApplyResources?.status })
          .toEqual({ name: object.metadata.name, phase: 'Creating', provisioning: 'True', applied: 'True' });
      }
    });

    it('every component of every Cluster has its Component, or waits for the one its topology provisions first', () => {
      for (const object of manifestsOf(yaml).filter((m) => m.kind === 'Cluster') as any[]) {
        for (const spec of object.spec.componentSpecs) {
          const component = state.components.find((c) => c.metadata.name === `${object.metadata.name}-${spec.name}`);
          const restoring = restoreWait(state, object.metadata.name, spec.name);
          if (restoring) expect(restoring).toMatch(/^waits for its restore source/);
          else if (component) expect(component.status?.phase).toBe('Creating');
          else expect(unreachedComponent(state, object.metadata.name, spec.name)).toMatch(/^waits for /);
        }
      }
    });

    it('every Secret and key our containers read from the operator exists under that name', () => {
      expect(missingSecrets(references, state)).toEqual([]);
    });

    it('every Service and pod our containers reach by name exists', () => {
      expect(missingServices(references, state)).toEqual([]);
    });

    it('every pod selector of ours (NetworkPolicies, the Clusters\' anti-affinity) selects the pods made', () => {
      const unmatched = podSelectors(yaml).filter((ref) => !state.pods.some((pod) => selects(ref.selector, pod.labels)
        && (!ref.component || (pod.labels['app.kubernetes.io/instance'] === ref.component.cluster
          && pod.labels['apps.kubeblocks.io/component-name'] === ref.component.name))))
        // A selector of a component out of reach, or of a Cluster none of whose components is within reach (restored
        // from a Backup this tier cannot make), has no pods to select yet.
        .filter((ref) => !ref.component || state.reached(`${ref.component.cluster}-${ref.component.name}-`))
        .filter((ref) => {
          const instance = ref.selector.matchLabels?.['app.kubernetes.io/instance'];
          const object = (manifestsOf(yaml) as any[]).find((m) => m.kind === 'Cluster' && m.metadata.name === instance);
          return !object || object.spec.componentSpecs.some((spec: { name: string }) => state.reached(`${instance}-${spec.name}-`));
        });
      expect(unmatched.map((ref) => `${ref.from}: selects none of ${state.pods.length} pods`)).toEqual([]);
    });

    it('each Cluster with backups gets its BackupPolicy and BackupSchedule, with the method and repository it names', () => {
      for (const object of manifestsOf(yaml).filter((m) => m.kind === 'Cluster') as any[]) {
        const backup = object.spec.backup;
        if (!backup?.enabled) continue;
        const policies = state.backupPolicies.filter((p) => p.metadata.labels?.['app.kubernetes.io/instance'] === object.metadata.name);
        expect(policies.length).toBeGreaterThan(0);
        for (const policy of policies) {
          expect({ policy: policy.metadata.name, phase: policy.status?.phase }).toEqual({ policy: policy.metadata.name, phase: 'Available' });
          if (backup.repoName) expect(policy.spec.backupRepoName).toBe(backup.repoName);
        }
        // The Cluster's method is looked up in every component's policy (kubeblocks v1.0.2
        // controllers/dataprotection/backuppolicydriver_controller.go, BackupMethodNotFound): the engine's own
        // component must have it; another's (Milvus's etcd) may not, unless the engine's is out of reach.
        const withMethod = policies.filter((p) => p.spec.backupMethods.some((m: { name: string }) => m.name === backup.method));
        const unreached = object.spec.componentSpecs.some((spec: { name: string }) => !state.reached(`${object.metadata.name}-${spec.name}-`));
        expect(withMethod.length > 0 || unreached).toBe(true);
        // A BackupRepo of the file must be there; one the config names without making it is the user's.
        const ownRepo = manifestsOf(yaml).some((m) => m.kind === 'BackupRepo' && m.metadata.name === backup.repoName);
        if (ownRepo) expect(state.backupRepos.map((r) => r.metadata.name)).toContain(backup.repoName);
      }
    });
  });

  // The Milvus variation as a config folder of its own, for npm run ops.
  let variations: string;
  describe('npm run ops outputs, created beside the reconciled platforms', () => {
    // npm run ops reads the config folder relative to its working directory, the repository (as ops.test.ts).
    const configs = 'config';
    beforeAll(() => {
      // The Milvus variation as a config folder of its own, for npm run ops (its namespace as the platform above).
      variations = fs.mkdtempSync(path.join(cluster.dir, 'config-'));
      const milvus = VARIATION_NAMES.indexOf('Milvus standalone with backups and monitoring');
      fs.writeFileSync(path.join(variations, 'milvus.yaml'), dump({ ...VARIATIONS[VARIATION_NAMES[milvus]], namespace: `operator-${milvus}` }));
    });
    it.each(OPS)('npm run ops -- %s %s %s %j: the operator validates it', async (platform, operation, target, options) => {
      const opsRequest = await createOps(cluster, platform === 'milvus' ? variations : configs, platform, operation, target, options);
      expect({ verdict: opsVerdict(opsRequest), accepted: accepted(opsRequest) }).toEqual({ verdict: opsVerdict(opsRequest), accepted: true });
      if (opsRequest.spec.type === 'Backup') expect(backupPolicyOf(cluster, opsRequest)).toEqual({ policy: 'Available', method: opsRequest.spec.backup.backupMethod });
    });
  });

  // The breaks earlier rounds found by reading the operator's source, as the objects had them then: this tier fails on
  // each (docs/cluster-tests.md). On 1.0: a Milvus Backup that names no policy (issue 27, item 2), and the names
  // KubeBlocks 0.9 gave a legacy cluster's Secret and Service read on 1.0 (the names fixed in round 2).
  describe('the old objects of earlier rounds\' breaks are caught', () => {
    // With no pod, a Cluster never reaches a phase a Backup starts from, so the operator's own lookup of the default
    // policy (kubeblocks v1.0.2 pkg/operations/backup.go getDefaultBackupPolicy: more than one default is an error)
    // is not reached: the test shows the condition it refuses on, and that the ops check above fails the old object.
    it('a Milvus Backup without backupPolicyName, as npm run ops wrote it before, fails the ops check: the operator made two default policies', () => {
      const ops = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ops.js'), 'milvus', 'backup', 'milvus'], {
        cwd: ROOT, encoding: 'utf8', env: { ...process.env, DIFY_CONFIG_DIR: variations },
      });
      expect(ops.status).toBe(0);
      const current = load(ops.stdout) as any;
      const old = { ...current, spec: { ...current.spec, backup: { ...current.spec.backup } } };
      delete old.spec.backup.backupPolicyName;
      expect(backupPolicyOf(cluster, old)).not.toEqual({ policy: 'Available', method: old.spec.backup.backupMethod });
      const defaults = list<any>(cluster, 'backuppolicies.dataprotection.kubeblocks.io', current.metadata.namespace)
        .filter((policy) => policy.metadata.labels?.['app.kubernetes.io/instance'] === current.spec.clusterName
          && policy.metadata.annotations?.['dataprotection.kubeblocks.io/is-default-policy'] === 'true');
      expect(defaults.length).toBeGreaterThan(1);
      expect(defaults.map((policy) => policy.metadata.name)).toContain(current.spec.backup.backupPolicyName);
    });

    it('the 0.9 legacy names of PostgreSQL\'s Secret and Service, read on 1.0, are named as missing', async () => {
      const namespace = 'old-names';
      const yaml = platformYaml(namespace, { namespace, createNamespace: true })
        .replace(/postgresql-postgresql-account-postgres/g, 'postgresql-conn-credential')
        .replace(/postgresql-postgresql-postgresql/g, 'postgresql-postgresql');
      const references = operatorReferences(yaml);
      applyOk(cluster, yamlFile(cluster, yaml, namespace));
      let state = readState(cluster, namespace, yaml);
      await until(`${namespace}: the Components made`, 300000, () => {
        state = readState(cluster, namespace, yaml);
        return state.components.length > 0 && state.secrets.has('postgresql-postgresql-account-postgres');
      }, () => state.describe(references));
      expect(missingSecrets(references, state)).toContainEqual(expect.stringContaining('secret postgresql-conn-credential'));
      expect(missingServices(references, state)).toContainEqual(expect.stringContaining('service postgresql-postgresql'));
    });
  });

  it('leaves the definitions Available after every platform (none refused by what the platforms did)', () => {
    const kinds = 'clusterdefinitions.apps.kubeblocks.io,componentdefinitions.apps.kubeblocks.io,componentversions.apps.kubeblocks.io';
    expect(list<any>(cluster, kinds).filter((d) => d.status?.phase !== 'Available').map((d) => d.metadata.name)).toEqual([]);
  });
});
