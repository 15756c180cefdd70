import { DifyPlatformProps, guardRailFindings, GuardRuleId, platformState } from '../../lib';
import { synthPlatform } from '../helpers/synth';

const stateOf = (version: string) => platformState(synthPlatform({ dify: { version } }));

describe('the Dify downgrade rule', () => {
  test('reads the version the platform\'s Dify objects carry', () => {
    expect(stateOf('1.15.0').difyVersion).toBe('1.15.0');
    expect(platformState([{ kind: 'Namespace', metadata: { name: 'dify' } }])).toEqual({ difyVersion: undefined, clusters: {}, volumes: {}, fileStore: undefined, dataHomes: {}, immutable: {} });
  });

  test('reads each cluster by engine, on both release lines', () => {
    expect(stateOf('1.15.0').clusters?.postgresql).toEqual({ engine: 'postgresql', name: 'postgresql', namespace: 'dify', apiVersion: 'apps.kubeblocks.io/v1',
      version: '16.9.0', terminationPolicy: 'DoNotTerminate', components: [{ name: 'postgresql', replicas: 2, storage: '20Gi' }] });
    expect(platformState(synthPlatform({ kubeblocks: { releaseLine: '0.9' }, dify: { version: '0.6.11' } })).clusters?.redis)
      .toMatchObject({ apiVersion: 'apps.kubeblocks.io/v1alpha1', version: '7.0.6', components: [{ name: 'redis' }, { name: 'redis-sentinel' }] });
  });

  test('refuses a version older than the one running, naming the setting and how to go through on purpose', () => {
    expect(guardRailFindings(stateOf('1.16.1'), stateOf('1.14.2'), new Set())).toEqual([{
      setting: 'dify.version', value: '1.14.2',
      reason: expect.stringMatching(/runs Dify 1\.16\.1 now, and Dify's schema migrations cannot be rolled back; .* add allowDestructive: \[difyDowngrade\]$/),
    }]);
  });

  test('lets upgrades, the same version and a first synth through', () => {
    expect(guardRailFindings(stateOf('1.14.2'), stateOf('1.16.1'), new Set())).toEqual([]);
    expect(guardRailFindings(stateOf('1.16.1'), stateOf('1.16.1'), new Set())).toEqual([]);
    expect(guardRailFindings({}, stateOf('0.6.11'), new Set())).toEqual([]);
  });

  test('lets a downgrade through when the config lists the rule, or for --allow-destructive', () => {
    expect(guardRailFindings(stateOf('1.16.1'), stateOf('1.13.3'), new Set(['difyDowngrade']))).toEqual([]);
    expect(guardRailFindings(stateOf('1.16.1'), stateOf('1.13.3'), 'all')).toEqual([]);
  });
});

describe('the data-tier rules', () => {
  const findings = (before: DifyPlatformProps, after: DifyPlatformProps, allowed: ReadonlySet<GuardRuleId> | 'all' = new Set()) =>
    guardRailFindings(platformState(synthPlatform(before)), platformState(synthPlatform(after)), allowed).map((f) => `${f.setting}: ${f.value}: ${f.reason}`);

  test.each<[string, DifyPlatformProps, DifyPlatformProps, string]>([
    ['a volume shrunk', { postgresql: { storage: { size: '50Gi' } } }, { postgresql: { storage: { size: '40Gi' } } },
      'postgresql.storage.size: 40Gi: the volumes are 50Gi now and volumes cannot shrink'],
    ['a sentinel volume shrunk', { redis: { sentinel: { storage: { size: '2Gi' } } } }, { redis: { sentinel: { storage: { size: '1Gi' } } } },
      'redis.sentinel.storage.size: 1Gi: the volumes are 2Gi now'],
    ['a cluster renamed', {}, { qdrant: { name: 'vectors' } }, 'qdrant.name: vectors: the qdrant cluster is "qdrant" now: another name or namespace makes a new, empty database'],
    ['the platform moved to another namespace', {}, { namespace: 'dify-2' }, 'namespace: dify-2: the postgresql cluster is "dify" now'],
    ['WipeOut chosen', {}, { redis: { terminationPolicy: 'WipeOut' } }, 'redis.terminationPolicy: WipeOut: it is DoNotTerminate now; WipeOut deletes the backups'],
    ['a database downgraded', { postgresql: { version: '16.9.0' } }, { postgresql: { version: '15.13.0' } },
      'postgresql.version: 15.13.0: the cluster runs postgresql 16.9.0 now, and an older engine cannot read newer data files'],
    ['a PostgreSQL major changed in place', { postgresql: { version: '16.9.0' } }, { postgresql: { version: '17.5.0' } },
      'postgresql.version: 17.5.0: the cluster runs PostgreSQL 16.9.0 now, and a new major (16 to 17) cannot start on the old data directory'],
    ['the release line switched', {}, { kubeblocks: { releaseLine: '0.9' }, dify: { version: '1.16.1' } },
      'kubeblocks.releaseLine: 0.9: the clusters are written for apps.kubeblocks.io/v1 now'],
    ['the release line switched back', { kubeblocks: { releaseLine: '0.9' }, dify: { version: '1.16.1' } }, {},
      'kubeblocks.releaseLine: 1.0: the clusters are written for apps.kubeblocks.io/v1alpha1 now'],
    ['Qdrant scaled in', { qdrant: { replicas: 5 } }, { qdrant: { replicas: 3 } }, 'qdrant.replicas: 3: Qdrant runs 5 peers now and does not move shards'],
    ['the embedded MinIO\'s volume shrunk', { dify: { storage: { minio: { size: '50Gi' } } } }, { dify: { storage: { minio: { size: '40Gi' } } } },
      'dify.storage.minio.size: 40Gi: the volume of StatefulSet dify-minio is 50Gi now and volumes cannot shrink'],
    ['the plugin volume shrunk', { dify: { pluginStorage: { size: '20Gi' } } }, { dify: { pluginStorage: { size: '10Gi' } } },
      'dify.pluginStorage.size: 10Gi: the volume of PersistentVolumeClaim dify-plugin-storage is 20Gi now'],
    ['the files volume shrunk', { dify: { storage: { type: 'volume', volume: { size: '30Gi' } } } }, { dify: { storage: { type: 'volume', volume: { size: '20Gi' } } } },
      'dify.storage.volume.size: 20Gi: the volume of PersistentVolumeClaim dify-storage is 30Gi now'],
    ['the files moved off the embedded MinIO', {}, { dify: { storage: { type: 's3', s3: { endpoint: 'https://s3.example.com', bucket: 'files', credentialsSecret: 's3' } } } },
      'dify.storage: s3 https://s3.example.com files: the uploaded files are in the embedded MinIO now, and the new store starts empty'],
    ['the files moved to another bucket', { dify: { storage: { type: 's3', s3: { endpoint: 'https://s3.example.com', bucket: 'files', credentialsSecret: 's3' } } } },
      { dify: { storage: { type: 's3', s3: { endpoint: 'https://s3.example.com', bucket: 'files-2', credentialsSecret: 's3' } } } },
      'dify.storage: s3 https://s3.example.com files-2: the uploaded files are in s3 https://s3.example.com files now'],
  ])('%s is refused', (_case, before, after, expected) => {
    expect(findings(before, after)).toEqual(expect.arrayContaining([expect.stringContaining(expected)]));
  });

  test('growing, scaling out, upgrading and safer policies pass', () => {
    expect(findings({ postgresql: { storage: { size: '20Gi' } }, qdrant: { replicas: 3 }, redis: { terminationPolicy: 'Delete' } },
      { postgresql: { storage: { size: '50Gi' }, version: '16.9.0' }, qdrant: { replicas: 5 }, redis: { terminationPolicy: 'DoNotTerminate' } })).toEqual([]);
    // Within a major, and majors of engines whose data files carry over (Redis).
    expect(findings({ postgresql: { version: '16.4.0' }, redis: { version: '7.2.12' } }, { postgresql: { version: '16.9.0' }, redis: { version: '8.0.1' } })).toEqual([]);
    // The files volume is the same claim under Dify 0.x (`local`) and 1.x (`opendal` fs); grown file volumes pass.
    expect(findings({ dify: { version: '0.6.11', storage: { type: 'volume' } } }, { dify: { version: '1.16.1', storage: { type: 'volume', volume: { size: '40Gi' } } } })).toEqual([]);
    // A grown claim passes; the embedded MinIO's claim template cannot change at all (workloadReplaced, workload-state.test.ts).
    expect(findings({}, { dify: { pluginStorage: { size: '20Gi' } } })).toEqual([]);
  });

  test('a reviewed change goes through when its rule is allowed, and only that rule', () => {
    const before = { postgresql: { storage: { size: '50Gi' } } };
    const after: DifyPlatformProps = { postgresql: { storage: { size: '40Gi' } }, qdrant: { replicas: 1 } };

    expect(findings(before, after, new Set(['storageShrink']))).toEqual([expect.stringContaining('qdrant.replicas: 1')]);
    expect(findings(before, after, 'all')).toEqual([]);
  });
});

describe('moving Dify\'s data, in any direction', () => {
  const findings = (before: DifyPlatformProps, after: DifyPlatformProps, allowed: ReadonlySet<GuardRuleId> = new Set()) =>
    guardRailFindings(platformState(synthPlatform(before)), platformState(synthPlatform(after)), allowed).map((f) => `${f.setting}: ${f.reason}`);
  const rds = (host: string): DifyPlatformProps => ({ postgresql: { external: { host, credentialsSecret: 'dify-rds', sslMode: 'require' } } });
  const cloudQdrant = (url: string): DifyPlatformProps => ({ qdrant: { external: { url, apiKeySecret: { name: 'qdrant-cloud', key: 'api-key' } } } });

  test.each<[string, DifyPlatformProps, DifyPlatformProps, RegExp]>([
    ['an external PostgreSQL to the platform\'s own new cluster', rds('db.abc.rds.amazonaws.com'), {},
      /^postgresql: Dify's database is at db\.abc\.rds\.amazonaws\.com:5432\/dify now, and postgresql-postgresql.*:5432\/dify holds none of it/],
    ['one external host to another', rds('db-a.example.org'), rds('db-b.example.org'), /^postgresql: Dify's database is at db-a\.example\.org:5432\/dify now, and db-b\.example\.org:5432\/dify holds none/],
    ['an external PostgreSQL to an existing cluster', rds('db-a.example.org'), { postgresql: { existingCluster: 'shared-pg' } }, /^postgresql: Dify's database is at db-a/],
    ['one Qdrant URL to another', cloudQdrant('https://a.cloud.qdrant.io:6333'), cloudQdrant('https://b.cloud.qdrant.io:6333'),
      /^qdrant: Dify's vectors are at https:\/\/a\.cloud\.qdrant\.io:6333 now, and https:\/\/b\.cloud\.qdrant\.io:6333 holds none of it/],
    ['an external Qdrant to the platform\'s own cluster', cloudQdrant('https://a.cloud.qdrant.io:6333'), {}, /^qdrant: Dify's vectors are at https:\/\/a\.cloud/],
  ])('%s is refused until allowDestructive: [dataMoved]', (_case, before, after, reason) => {
    expect(findings(before, after)).toEqual([expect.stringMatching(reason)]);
    expect(findings(before, after)[0]).toMatch(/add allowDestructive: \[dataMoved\] to mean it$/);
    expect(findings(before, after, new Set(['dataMoved']))).toEqual([]);
  });

  // A database of another name on the same server is another, empty database (postgresql.external.databases).
  const named = (databases: Record<string, string>, createDatabases?: boolean): DifyPlatformProps =>
    ({ postgresql: { external: { host: 'db.example.org', credentialsSecret: 'dify-rds', databases, createDatabases } } });

  test.each<[string, DifyPlatformProps, DifyPlatformProps, RegExp]>([
    ['Dify\'s database renamed on the same server', named({}), named({ dify: 'dify_prod' }),
      /^postgresql: Dify's database is at db\.example\.org:5432\/dify now, and db\.example\.org:5432\/dify_prod holds none of it/],
    ['the plugin daemon\'s database renamed', named({ pluginDaemon: 'plugins_a' }), named({ pluginDaemon: 'plugins_b' }),
      /^postgresql: the plugin daemon's database \(the plugins installed\) is at db\.example\.org:5432\/plugins_a now, and db\.example\.org:5432\/plugins_b holds none of it/],
    ['pgvector\'s database renamed', { ...named({}), vectorStore: 'pgvector' }, { ...named({ vector: 'vectors' }), vectorStore: 'pgvector' },
      /^pgvector: Dify's vectors are at db\.example\.org:5432\/dify_vector now, and db\.example\.org:5432\/vectors holds none of it/],
    ['an existing cluster\'s database renamed', { postgresql: { existingCluster: 'shared-pg' } },
      { postgresql: { existingCluster: { name: 'shared-pg', databases: { dify: 'team_a' } } } }, /^postgresql: Dify's database is at shared-pg-postgresql-postgresql:5432\/dify now/],
  ])('%s is refused until allowDestructive: [dataMoved]', (_case, before, after, reason) => {
    expect(findings(before, after)).toEqual([expect.stringMatching(reason)]);
    expect(findings(before, after, new Set(['dataMoved']))).toEqual([]);
  });

  test('a move of both databases to another server is said once; createDatabases alone moves nothing', () => {
    expect(findings(named({}), { postgresql: { external: { host: 'db-2.example.org', credentialsSecret: 'dify-rds' } } }))
      .toEqual([expect.stringMatching(/^postgresql: Dify's database is at db\.example\.org:5432\/dify now/)]);
    expect(findings(named({ dify: 'dify_prod' }), named({ dify: 'dify_prod' }, false))).toEqual([]);
  });

  test('the platform\'s own cluster to an external server is said once, by clusterReplaced', () => {
    expect(findings({}, rds('db.example.org'))).toEqual([expect.stringMatching(/^postgresql: the postgresql cluster "postgresql" holds data and would be deleted/)]);
  });

  test('the same place is no move', () => {
    expect(findings(rds('db.example.org'), rds('db.example.org'))).toEqual([]);
    expect(findings({}, {})).toEqual([]);
  });
});
