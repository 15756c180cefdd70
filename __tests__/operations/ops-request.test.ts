/** `npm run ops`: one OpsRequest per operation, valid for its release line's CRD, every name from the config. */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { configChangeLine, DifyPlatformProps, opsRequest, OpsOptions } from '../../lib';
import * as fs from 'fs';
import { loadAll } from 'js-yaml';
import { buildApp, ROOT, tempDir } from '../helpers/pipeline';
import { schemaValidator } from '../helpers/schema-validator';
import { synthPlatform } from '../helpers/synth';

const validate = schemaValidator();
const V1: DifyPlatformProps = {};
const V09: DifyPlatformProps = { kubeblocks: { releaseLine: '0.9' }, dify: { version: '0.6.11' } };

const CASES: [string, string, OpsOptions][] = [
  ['restart', 'postgresql', {}], ['stop', 'redis', {}], ['start', 'redis', {}],
  ['vscale', 'postgresql', { cpu: '2', memory: '4Gi' }], ['hscale', 'postgresql', { replicas: 3 }], ['hscale', 'qdrant', { replicas: 5 }],
  ['volume-expand', 'qdrant', { storage: '50Gi' }], ['backup', 'redis', {}], ['backup', 'postgresql', { method: 'volume-snapshot' }],
];

describe('OpsRequests', () => {
  test.each(CASES)('%s of %s is valid on KubeBlocks 1.0 and on 0.9', (operation, cluster, options) => {
    for (const props of [V1, V09]) {
      const { object } = opsRequest(props, operation, cluster, options);
      expect(validate(object as any)).toEqual([]);
      expect((object as any).spec.clusterName).toBe(cluster);
    }
  });

  test('each is in its release line\'s API, in the platform\'s namespace', () => {
    expect(opsRequest(V1, 'restart', 'redis', {}).object).toMatchObject({ apiVersion: 'operations.kubeblocks.io/v1alpha1',
      metadata: { generateName: 'redis-restart-', namespace: 'dify' }, spec: { type: 'Restart', restart: [{ componentName: 'redis' }, { componentName: 'redis-sentinel' }] } });
    expect(opsRequest(V09, 'restart', 'redis', {}).object).toMatchObject({ apiVersion: 'apps.kubeblocks.io/v1alpha1', metadata: { namespace: 'dify' } });
  });

  test('names come from the config: a renamed cluster is addressed by its name or its engine', () => {
    const props = { postgresql: { name: 'metadata' } };

    expect((opsRequest(props, 'restart', 'metadata', {}).object as any).spec.clusterName).toBe('metadata');
    expect((opsRequest(props, 'restart', 'postgresql', {}).object as any).spec.clusterName).toBe('metadata');
  });

  test('switchover names the pods as each line wants them; upgrade takes only an offered version', () => {
    const v1 = opsRequest(V1, 'switchover', 'postgresql', { candidate: 'postgresql-postgresql-1', from: 'postgresql-postgresql-0' }).object as any;
    const v09 = opsRequest(V09, 'switchover', 'redis', { candidate: 'redis-redis-1' }).object as any;
    const upgrade = opsRequest({ ...V1, postgresql: { ...V1.postgresql, version: '16.4.0' } }, 'upgrade', 'postgresql', { version: '16.9.0' }).object as any;

    expect(v1.spec.switchover).toEqual([{ componentName: 'postgresql', instanceName: 'postgresql-postgresql-0', candidateName: 'postgresql-postgresql-1' }]);
    expect(v09.spec.switchover).toEqual([{ componentName: 'redis', instanceName: 'redis-redis-1' }]);
    expect(upgrade.spec.upgrade).toEqual({ components: [{ componentName: 'postgresql', serviceVersion: '16.9.0' }] });
    for (const object of [v1, v09, upgrade]) expect(validate(object)).toEqual([]);
  });

  test('on KubeBlocks 0.9 an upgrade is an OpsRequest in the words the Cluster pins its version with, and says which line keeps it', () => {
    // PostgreSQL there is a legacy component pinned by its ClusterVersion; Qdrant is in topology form, by serviceVersion.
    const postgresql = opsRequest(V09, 'upgrade', 'postgresql', { version: '14.18.0' });
    const qdrant = opsRequest({ ...V09, qdrant: { version: '1.8.1' } }, 'upgrade', 'qdrant', { version: '1.8.4' });

    expect((postgresql.object as any).spec).toEqual({ clusterName: 'postgresql', type: 'Upgrade', upgrade: { clusterVersionRef: 'postgresql-14.18.0' } });
    expect((qdrant.object as any).spec.upgrade).toEqual({ components: [{ componentName: 'qdrant', serviceVersion: '1.8.4' }] });
    for (const result of [postgresql, qdrant]) {
      expect(result.instead).toBeUndefined();
      expect(validate(result.object as any)).toEqual([]);
    }
    expect(configChangeLine(postgresql.configChange!, 'config/seed.yaml')).toBe('set postgresql.version: "14.18.0" in config/seed.yaml, or the next synth sets it back to 14.8.0');
  });

  test('the ClusterVersion an upgrade names is the one the platform\'s Cluster names at that version', () => {
    const upgraded = opsRequest(V09, 'upgrade', 'postgresql', { version: '14.18.0' }).object as any;
    const written = synthPlatform({ ...V09, postgresql: { version: '14.18.0' } }).find((object) => object.kind === 'Cluster' && object.metadata.name === 'postgresql')!;
    expect(upgraded.spec.upgrade.clusterVersionRef).toBe(written.spec.clusterVersionRef);
  });

  test('a change the config describes says which setting keeps it, in which file, and that a sync would undo it', () => {
    const line = (operation: string, cluster: string, options: object) => configChangeLine(opsRequest(V1, operation, cluster, options).configChange!, 'config/default.yaml');
    expect(line('hscale', 'postgresql', { replicas: 3 })).toBe('set postgresql.replicas: 3 in config/default.yaml, or the next synth sets it back to 2');
    expect(line('volume-expand', 'qdrant', { storage: '50Gi' })).toBe('set qdrant.storage.size: 50Gi in config/default.yaml, or the next synth asks for 20Gi again');
    expect(line('vscale', 'redis', { cpu: '2' })).toBe('set redis.resources.requests.cpu: "2" and redis.resources.limits.cpu: "2" in config/default.yaml, or the next synth sets them back');
    expect(opsRequest(V1, 'hscale', 'postgresql', { replicas: 3 }).configChange!.revertedBySync).toBe(true);
    expect(opsRequest(V1, 'restore', 'redis', { backup: 'redis-nightly' }).configChange!.revertedBySync).toBe(false);
  });

  test('a restore is an OpsRequest where KubeBlocks supports one, else the documented restore on a new cluster', () => {
    const redis = opsRequest(V1, 'restore', 'redis', { backup: 'redis-nightly' });

    expect(redis.object).toMatchObject({ spec: { clusterName: 'redis-restored', type: 'Restore', restore: { backupName: 'redis-nightly', backupNamespace: 'dify' } } });
    expect(validate(redis.object as any)).toEqual([]);
    expect(opsRequest(V1, 'restore', 'postgresql', { backup: 'pg-nightly' }).instead).toContain('restoreFrom: { backup: pg-nightly }');
  });

  test('a backup names the BackupPolicy of the cluster\'s main component: Milvus\'s etcd has a default policy of its own', () => {
    const milvus = opsRequest({ vectorStore: 'milvus' }, 'backup', 'milvus', {}).object as any;
    expect(milvus.spec.backup).toEqual({ backupPolicyName: 'milvus-milvus-backup-policy', backupMethod: 'volume-snapshot', deletionPolicy: 'Retain' });
    expect(validate(milvus)).toEqual([]);
    for (const props of [V1, V09]) {
      expect((opsRequest(props, 'backup', 'postgresql', {}).object as any).spec.backup.backupPolicyName).toBe('postgresql-postgresql-backup-policy');
    }
    expect((opsRequest({ redis: { name: 'cache' } }, 'backup', 'redis', {}).object as any).spec.backup.backupPolicyName).toBe('cache-redis-backup-policy');
  });

  test.each<[string, string, string, OpsOptions, string]>([
    ['an unknown operation', 'reboot', 'redis', {}, 'operation: "reboot" is not allowed: one of restart, stop, start'],
    ['an unknown cluster', 'restart', 'mysql', {}, 'cluster: "mysql" is not a cluster of this platform (postgresql, redis, qdrant)'],
    ['Qdrant scaled in', 'hscale', 'qdrant', { replicas: 1 }, 'Qdrant does not move shards'],
    ['a volume that would shrink', 'volume-expand', 'postgresql', { storage: '10Gi' }, '--storage: "10Gi" is not allowed: must be more than 20Gi'],
    ['a version not offered', 'upgrade', 'redis', { version: '9.0.0' }, '--version: "9.0.0" is not allowed: KubeBlocks 1.0 offers redis'],
    ['a PostgreSQL major', 'upgrade', 'postgresql', { version: '17.5.0' }, '--version: "17.5.0" is not allowed: the cluster runs PostgreSQL 16.9.0 now, and a new major (16 to 17) cannot start on the old data directory'],
    ['a downgrade', 'upgrade', 'postgresql', { version: '15.13.0' }, '--version: "15.13.0" is not allowed: the cluster runs postgresql 16.9.0, and an older engine cannot read newer data files'],
    ['a switchover of Qdrant', 'switchover', 'qdrant', { candidate: 'x' }, 'it has no primary to switch'],
    ['a method the addon lacks', 'backup', 'qdrant', { method: 'volume-snapshot' }, 'the qdrant addon backs up with datafile'],
    ['vscale with nothing to change', 'vscale', 'redis', {}, '--cpu, --memory: missing'],
    ['more replicas than the config allows', 'hscale', 'postgresql', { replicas: 1000 }, '--replicas: 1000 is not allowed: a whole number from 1 to 16 (the config\'s limit for postgresql)'],
    ['a candidate the cluster cannot have', 'switchover', 'postgresql', { candidate: 'postgresql-postgresql-7', from: 'postgresql-postgresql-0' },
      '--candidate: "postgresql-postgresql-7" is not allowed: the cluster\'s pods are postgresql-postgresql-0, postgresql-postgresql-1'],
    ['a candidate that is a path', 'switchover', 'postgresql', { candidate: '../../etc', from: 'postgresql-postgresql-0' }, '--candidate: "../../etc" is not allowed'],
    ['a primary the cluster cannot have', 'switchover', 'postgresql', { candidate: 'postgresql-postgresql-1', from: 'redis-redis-0' }, '--from: "redis-redis-0" is not allowed'],
    ['a switchover to the same pod', 'switchover', 'postgresql', { candidate: 'postgresql-postgresql-0', from: 'postgresql-postgresql-0' }, 'it is the pod --from names'],
    ['a backup name that is not a name', 'restore', 'redis', { backup: '../x; rm' }, '--backup: "../x; rm" is not allowed: must be the name of a Backup'],
  ])('%s is refused', (_case, operation, cluster, options, expected) => {
    expect(() => opsRequest(V1, operation, cluster, options)).toThrow(expected);
  });

  test('a server the platform does not run is named, and a platform with no cluster says so instead of "()"', () => {
    const external = { external: { host: 'db.example.com', credentialsSecret: 'db' } };
    const none: DifyPlatformProps = { postgresql: external, redis: external, qdrant: { external: { url: 'https://q.example.com:6333' } } };
    expect(() => opsRequest(none, 'restart', 'postgresql', {})).toThrow('cluster: "postgresql" is not a cluster of this platform (it has none: its data tier is servers it does not run): '
      + 'postgresql is an external server, which this platform does not run; operate it where it is managed');
    expect(() => opsRequest({ postgresql: external }, 'restart', 'postgresql', {})).toThrow('cluster: "postgresql" is not a cluster of this platform (redis, qdrant): postgresql is an external server');
  });
});

describe('npm run ops', () => {
  beforeAll(buildApp);

  test('prints the OpsRequest, the config note on stderr, and refuses bad arguments in one line', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ops.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
    const good = run('default', 'hscale', 'postgresql', '--replicas', '3');
    const bad = run('default', 'hscale', 'postgresql', '--replica', '3');

    expect(good.status).toBe(0);
    expect(good.stdout).toContain('type: HorizontalScaling\n');
    expect(good.stderr.split('\n')).toEqual([
      'note: set postgresql.replicas: 3 in config/default.yaml, or the next synth sets it back to 2',
      expect.stringMatching(/^note: under Argo CD with selfHeal, or Flux, change the config first \(synth, commit dist\/\): the sync then makes this change itself, while an OpsRequest alone is undone by the next sync/),
      '',
    ]);
    expect(bad.status).toBe(2);
    expect(bad.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ops: --replica: unknown option; the options are --cpu/)]);
    // A platform is a config file's name: a wrong one is answered with the names there are.
    const unknown = run('dify', 'restart', 'redis');
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('ops: platform: "dify" is not allowed: must be the name of a config file, without .yaml: default (config/default.yaml)\n');
  });

  test('stdout holds only the object: a restore that is no OpsRequest prints nothing there, says why on stderr and exits 1', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ops.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
    const dir = tempDir('ops-instead-');
    const out = path.join(dir, 'restore.yaml');
    const restore = run('default', 'restore', 'postgresql', '--backup', 'pg-nightly');
    const written = run('default', 'restore', 'postgresql', '--backup', 'pg-nightly', '--out', out);
    const object = run('default', 'restore', 'redis', '--backup', 'redis-nightly');

    expect({ status: restore.status, stdout: restore.stdout }).toEqual({ status: 1, stdout: '' });
    expect(restore.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^ops: no OpsRequest: Restore postgresql on a new cluster: .*restoreFrom: \{ backup: pg-nightly \}/)]);
    expect(written.status).toBe(1);
    expect(fs.existsSync(out)).toBe(false);
    // What kubectl create -f - reads: exactly one object, nothing before or after it.
    expect(object.status).toBe(0);
    expect(loadAll(object.stdout).map((doc: any) => doc.kind)).toEqual(['OpsRequest']);
  });

  test('--out writes a new file or replaces an earlier OpsRequest, never a file of another kind such as a config', () => {
    const run = (...args: string[]) => spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ops.js'), ...args], { cwd: ROOT, encoding: 'utf8' });
    const dir = tempDir('ops-out-');
    const ops = path.join(dir, 'scale.yaml');
    const config = path.join(dir, 'platform.yaml');
    fs.writeFileSync(config, 'postgresql: { replicas: 2 }\n');

    expect(run('default', 'restart', 'redis', '--out', ops).status).toBe(0);
    expect(run('default', 'hscale', 'postgresql', '--replicas', '3', '--out', ops).status).toBe(0);
    expect(fs.readFileSync(ops, 'utf8')).toContain('type: HorizontalScaling');
    const refused = run('default', 'restart', 'redis', '--out', config);
    expect(refused.status).toBe(2);
    expect(refused.stderr).toBe(`ops: --out: "${config}" is not allowed: it exists and holds no OpsRequest; name a new file (a config or another file of yours is never overwritten)\n`);
    expect(fs.readFileSync(config, 'utf8')).toBe('postgresql: { replicas: 2 }\n');
  });
});
