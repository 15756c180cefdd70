import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { ConfigError, DifyPlatform } from '../lib';
import { exampleConfig, exampleConfigs, fixtureConfigs, renderableExampleConfigs } from './helpers/configs';
import { Manifest, synthPlatform, testChart } from './helpers/synth';

/** Kinds without a namespace; everything else the platform makes must carry one. */
const CLUSTER_SCOPED = new Set(['Namespace', 'ClusterRole', 'ClusterRoleBinding', 'IngressClass', 'StorageClass']);

const renderable = new Set(renderableExampleConfigs().map((config) => config.name));
const SNAPSHOT_TEST = 'the %s platform synthesizes as the snapshot shows';

describe('DifyPlatform', () => {
  test.each([...fixtureConfigs(), ...exampleConfigs().filter((config) => renderable.has(config.name))].map((config) => [config.name, config] as const))(
    SNAPSHOT_TEST, (_name, config) => {
      expect(synthPlatform(config.props)).toMatchSnapshot();
    });
  // Where the chart examples cannot be rendered (no community charts beside the clone) their snapshots are skipped,
  // and so kept, rather than reported obsolete.
  const unrendered = exampleConfigs().filter((config) => !renderable.has(config.name)).map((config) => [config.name] as const);
  if (unrendered.length > 0) test.skip.each(unrendered)(SNAPSHOT_TEST, () => undefined);

  test('the default platform is KubeBlocks 1.0 in a namespace of its own, with the three clusters first', () => {
    const objects = synthPlatform();

    expect(objects.slice(0, 4).map((object) => `${object.apiVersion} ${object.kind} ${object.metadata.name}`)).toEqual([
      'v1 Namespace dify',
      'apps.kubeblocks.io/v1 Cluster postgresql',
      'apps.kubeblocks.io/v1 Cluster redis',
      'apps.kubeblocks.io/v1 Cluster qdrant',
    ]);
    expect(objects.filter((object) => object.kind === 'Cluster')).toHaveLength(3);
  });

  test('Argo CD applies clusters, then secrets and databases, then the migration, then workloads', () => {
    const waves = synthPlatform().map((object) => [object.kind, object.metadata.name, object.metadata.annotations?.['argocd.argoproj.io/sync-wave']]);
    const waveOf = (kind: string, prefix: string) => waves.find(([k, name]) => k === kind && String(name).startsWith(prefix))?.[2];

    expect(waveOf('Cluster', 'postgresql')).toBe('0');
    expect(waveOf('Job', 'dify-bootstrap-secrets-')).toBe('1');
    expect(waveOf('Job', 'dify-db-init-')).toBe('1');
    expect(waveOf('Job', 'dify-migrate-')).toBe('2');
    expect(waveOf('Deployment', 'dify-api')).toBe('3');
  });

  test.each([...fixtureConfigs(), ...renderableExampleConfigs()].map((config) => [config.name, config] as const))(
    'every namespaced object of the %s platform carries the platform namespace', (_name, config) => {
      const objects = synthPlatform(config.props);
      const expected = config.props.namespace ?? 'dify';
      for (const object of objects) {
        expect([object.kind, object.metadata.namespace]).toEqual([object.kind, CLUSTER_SCOPED.has(object.kind) ? undefined : expected]);
      }
    });

  test('an existing namespace is used without creating it', () => {
    const objects = synthPlatform({ namespace: 'shared', createNamespace: false });

    expect(objects.map((object) => object.kind)).not.toContain('Namespace');
  });

  test('a BackupRepo it owns is cluster-scoped, and its namespaced objects are untouched', () => {
    const objects = synthPlatform({ backupRepo: { provider: 's3', bucket: 'kb-backups', region: 'eu-west-1', credentialsSecret: { name: 's3-creds' } } });
    const repos = objects.filter((object) => object.kind === 'BackupRepo');

    expect(repos.map((repo) => [repo.metadata.name, repo.metadata.namespace])).toEqual([['dify-backups', undefined]]);
    expect(objects.filter((object) => object.kind === 'Cluster').every((cluster) => cluster.metadata.namespace === 'dify')).toBe(true);
  });

  test('its clusters\' backups name its own BackupRepo, so they never depend on which repo is the default', () => {
    const objects = synthPlatform({
      backupRepo: { name: 'team-a', provider: 'minio', bucket: 'kb-backups', endpoint: 'http://minio.backup:9000', credentialsSecret: { name: 'c' }, default: false },
      postgresql: { backup: { schedule: '0 2 * * *' } },
      redis: { backup: { repo: 'elsewhere' } },
      qdrant: { backup: {} },
    });
    const repoOf = (name: string) => objects.find((object) => object.kind === 'Cluster' && object.metadata.name === name)?.spec.backup?.repoName;

    expect([repoOf('postgresql'), repoOf('redis'), repoOf('qdrant')]).toEqual(['team-a', 'elsewhere', 'team-a']);
  });

  test('without a BackupRepo of its own, its backups go to the installation\'s default (no repoName)', () => {
    const objects = synthPlatform({ postgresql: { backup: {} } });

    expect(objects.find((object) => object.kind === 'Cluster' && object.metadata.name === 'postgresql')?.spec.backup).not.toHaveProperty('repoName');
  });

  test('the connections it exposes follow the configured names', () => {
    const platform = new DifyPlatform(testChart(), 'p', { postgresql: { name: 'meta' }, redis: { name: 'cache' } });

    expect(platform.postgresql.host).toBe('meta-postgresql-postgresql');
    expect(platform.redis.sentinel?.masterName).toBe('cache-redis');
    expect(platform.qdrant?.httpUrl).toBe('http://qdrant-qdrant-qdrant:6333');
  });

  test('props given in code are checked like a config file', () => {
    expect(() => new DifyPlatform(testChart(), 'p', { redis: { sentinel: { replicas: 2 } } })).toThrow(ConfigError);
    expect(() => new DifyPlatform(testChart(), 'p', { redis: { sentinel: { replicas: 2 } } }))
      .toThrow('platform "p": redis.sentinel.replicas: 2 is not allowed');
  });

  test('synthesis is deterministic', () => {
    const [config] = fixtureConfigs();

    expect(JSON.stringify(synthPlatform(config.props))).toBe(JSON.stringify(synthPlatform(config.props)));
  });
});

describe('the seed config', () => {
  const seedDir = path.join(__dirname, 'fixtures', 'seed');

  function seedObject(file: string): Manifest {
    const [document] = parseAllDocuments(fs.readFileSync(path.join(seedDir, file), 'utf8'));
    return document.toJS() as Manifest;
  }

  /**
   * Where the seed's own object cannot work, working wins over byte-identical. Each entry says what differs and why:
   * - redis.yaml: KubeBlocks v0.9.5 reads a Cluster whose components set componentDef by the ClusterDefinition's
   *   topology, whose default (`standalone`) has no redis-sentinel; the platform names `replication` and pins each
   *   component by serviceVersion (release-lines.ts, ENGINE_DEFINITIONS.redis).
   * - qdrant.yaml: the qdrant addon KubeBlocks v0.9.5 installs ships no ClusterVersion, so `qdrant-1.8.4` is never
   *   found; the platform names the topology `cluster` and the serviceVersion instead.
   */
  function topologyForm(topology: string, versionPrefix: string): (seed: Manifest) => Manifest {
    return (seed) => {
      const { clusterVersionRef, ...spec } = seed.spec;
      const serviceVersion = String(clusterVersionRef).replace(versionPrefix, '');
      return {
        ...seed,
        spec: {
          ...spec,
          topology,
          componentSpecs: spec.componentSpecs.map(({ componentDef, componentDefRef, ...component }: Record<string, unknown>) => ({ ...component, serviceVersion })),
        },
      };
    };
  }
  const WORKING_FORM: Record<string, (seed: Manifest) => Manifest> = {
    'redis.yaml': topologyForm('replication', 'redis-'),
    'qdrant.yaml': topologyForm('cluster', 'qdrant-'),
  };

  test.each(['postgresql.yaml', 'redis.yaml', 'qdrant.yaml'])('reproduces the seed object %s in the default namespace, in a form the operator reconciles', (file) => {
    const seed = (WORKING_FORM[file] ?? ((object: Manifest) => object))(seedObject(file));
    const ours = synthPlatform(exampleConfig('seed').props)
      .find((object) => object.kind === seed.kind && object.metadata.name === seed.metadata.name);

    // The seed applies its objects to the current namespace; the config pins it to `default`. The only addition is
    // the Argo CD sync-wave annotation, which KubeBlocks does not read.
    expect(ours?.metadata.annotations).toEqual({ 'argocd.argoproj.io/sync-wave': '0' });
    expect({ ...ours, metadata: { ...ours?.metadata, annotations: undefined } })
      .toEqual({ ...seed, metadata: { ...seed.metadata, namespace: 'default', annotations: undefined } });
  });

  test('has no clusters beyond the seed objects', () => {
    expect(synthPlatform(exampleConfig('seed').props).filter((object) => object.kind === 'Cluster')).toHaveLength(3);
  });
});
