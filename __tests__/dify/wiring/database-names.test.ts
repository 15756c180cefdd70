/**
 * Dify's databases on a PostgreSQL the platform is given: named in `postgresql.external` or `existingCluster`, wired
 * into every program that reaches them, and created or only checked by the database Job.
 */
import { DifyPlatformProps } from '../../../lib';
import { configProblems } from '../../helpers/configs';
import { allPodSpecs, byKindAndName, envOf, mainContainer } from '../../helpers/dify';
import { synthPlatform } from '../../helpers/synth';
import { borisChart, doubanChart } from '../../helpers/platforms';
import { COMMUNITY_CHART_FILES } from '../../helpers/community-charts';
import { describeWithThirdParty } from '../../helpers/third-party';
import { describeWithTool } from '../../helpers/required-tool';

const describeWithCharts = describeWithThirdParty('the community chart tests', ...COMMUNITY_CHART_FILES);
const describeWithHelm = describeWithTool(Boolean(process.env.DIFY_HELM), 'helm (DIFY_HELM)', 'node scripts/tools.js helm, done by the tests\' global setup');

const NAMES = { dify: 'app_main', pluginDaemon: 'app_plugins', vector: 'app_vectors' };
const RDS = { host: 'dify.abc123.eu-west-1.rds.amazonaws.com', credentialsSecret: 'dify-rds', sslMode: 'require' as const };

/** Every variable that names a database, in every container (init containers too) of every workload and Job. */
function databaseVariables(objects: ReturnType<typeof synthPlatform>): [string, string, string][] {
  return allPodSpecs(objects).flatMap(([object, spec]) => [...(spec.initContainers ?? []), ...spec.containers].flatMap((container: any) =>
    Object.entries(envOf(container)).filter(([name]) => /^(DB_DATABASE|WAIT_DATABASE|PGVECTOR_DATABASE|PGDATABASE|DATABASES)$/.test(name))
      .map(([name, value]): [string, string, string] => [`${object} ${container.name}`, name, value])));
}

describe('Dify\'s databases named on an external server', () => {
  const props: DifyPlatformProps = {
    vectorStore: 'pgvector', postgresql: { external: { ...RDS, databases: NAMES, createDatabases: false } },
    dify: { collaboration: { enabled: true } },
  };
  const objects = synthPlatform(props);

  test('every program is given its database by the name the setting gives, and no default name is left anywhere', () => {
    const variables = databaseVariables(objects);
    const env = (name: string) => envOf(mainContainer(byKindAndName(objects, 'Deployment', name)));

    for (const name of ['dify-api', 'dify-worker', 'dify-beat', 'dify-api-websocket']) expect(env(name)).toMatchObject({ DB_DATABASE: 'app_main' });
    expect(env('dify-api')).toMatchObject({ PGVECTOR_DATABASE: 'app_vectors' });
    expect(env('dify-plugin-daemon')).toMatchObject({ DB_DATABASE: 'app_plugins' });
    // The migration runs in an init container of its Job, the data migrations in theirs' main container.
    expect(variables.filter(([where, name]) => /^Job\/dify-(migrate|data-migrate)-/.test(where) && name === 'DB_DATABASE').map(([, , value]) => value))
      .toEqual(['app_main', 'app_main']);
    expect(variables.length).toBeGreaterThan(10);
    expect(variables.filter(([, , value]) => /\bdify(_plugin|_vector)?\b/.test(value))).toEqual([]);
  });

  test('the database Job checks the three databases and creates none, naming the setting in its messages', () => {
    const job = envOf(mainContainer(byKindAndName(objects, 'Job', /^dify-db-init-/)));

    expect(job).toMatchObject({ DATABASES: 'app_main app_plugins app_vectors', EXTENSIONS: 'app_vectors:vector', CREATE_DATABASES: 'false', DATABASES_SETTING: 'postgresql.external' });
  });

  test('the plugin daemon waits for its own database, and the schema gate reads Dify\'s', () => {
    const daemon = byKindAndName(objects, 'Deployment', 'dify-plugin-daemon').spec.template.spec;
    const api = byKindAndName(objects, 'Deployment', 'dify-api').spec.template.spec;

    expect(daemon.initContainers.map((c: any) => envOf(c).WAIT_DATABASE)).toEqual(['app_plugins']);
    expect(api.initContainers.filter((c: any) => envOf(c).WAIT_DATABASE).map((c: any) => envOf(c).WAIT_DATABASE)).toEqual(['app_main']);
  });
});

test('an existing cluster named alone keeps the default names, created by the Job; given as an object, it takes names and createDatabases', () => {
  const jobOf = (props: DifyPlatformProps) => envOf(mainContainer(byKindAndName(synthPlatform(props), 'Job', /^dify-db-init-/)));
  const objects = synthPlatform({ postgresql: { existingCluster: { name: 'shared-pg', databases: { dify: 'team_a' }, createDatabases: false } } });

  expect(jobOf({ postgresql: { existingCluster: 'shared-pg' } })).toMatchObject({ DATABASES: 'dify dify_plugin', DATABASES_SETTING: 'postgresql.existingCluster' });
  expect(jobOf({}).DATABASES).toBe('dify dify_plugin');
  expect(jobOf({})).not.toHaveProperty('CREATE_DATABASES');
  expect(envOf(mainContainer(byKindAndName(objects, 'Job', /^dify-db-init-/))))
    .toMatchObject({ DATABASES: 'team_a dify_plugin', CREATE_DATABASES: 'false', DATABASES_SETTING: 'postgresql.existingCluster' });
  expect(envOf(mainContainer(byKindAndName(objects, 'Deployment', 'dify-api'))).DB_DATABASE).toBe('team_a');
});

describeWithCharts('Dify\'s databases named, through a community chart', () => {
  describeWithHelm.each<[string, () => DifyPlatformProps]>([
    ['the douban chart 0.9.1', () => ({ postgresql: { external: { ...RDS, databases: { dify: NAMES.dify, pluginDaemon: NAMES.pluginDaemon } } }, dify: { version: '1.13.3', chart: { path: doubanChart('0.9.1') } } })],
    ['BorisPolonsky\'s chart with pgvector', () => ({
      vectorStore: 'pgvector', postgresql: { external: { ...RDS, databases: NAMES } }, dify: { version: '1.16.1', chart: { path: borisChart(), family: 'boris' } },
    })],
  ])('%s', (_name, props) => {
    test('gives the api, worker and plugin daemon the names the setting gives, and no default name is left anywhere', () => {
      const objects = synthPlatform(props());
      const variables = databaseVariables(objects);
      const workload = (component: string) => objects.find((o) => o.kind === 'Deployment' && o.spec.template.metadata.labels['app.kubernetes.io/component'] === component)!;

      expect(envOf(mainContainer(workload('api'))).DB_DATABASE).toBe('app_main');
      expect(envOf(mainContainer(workload('worker'))).DB_DATABASE).toBe('app_main');
      expect(envOf(mainContainer(workload('plugin-daemon'))).DB_DATABASE).toBe('app_plugins');
      expect(variables.filter(([, , value]) => /\bdify(_plugin|_vector)?\b/.test(value))).toEqual([]);
    });
  });
});

describe('database names that are refused, in one line each', () => {
  const external = (databases: Record<string, unknown>, more: DifyPlatformProps = {}): DifyPlatformProps =>
    ({ ...more, postgresql: { external: { ...RDS, databases } } } as DifyPlatformProps);

  test.each<[string, DifyPlatformProps, string]>([
    ['an upper-case name', external({ dify: 'Dify' }),
      'env.yaml: postgresql.external.databases.dify: "Dify" is not allowed: must be a PostgreSQL database name of 1 to 63 lowercase letters, digits and _, not starting with a digit'],
    ['a name that would need quoting', external({ pluginDaemon: 'plugins; DROP DATABASE dify' }),
      'env.yaml: postgresql.external.databases.pluginDaemon: "plugins; DROP DATABASE dify" is not allowed: must be a PostgreSQL database name'],
    ['a leading digit', external({ dify: '1dify' }), 'env.yaml: postgresql.external.databases.dify: "1dify" is not allowed: must be a PostgreSQL database name'],
    ['a name over 63 characters', external({ dify: 'd'.repeat(64) }), 'is not allowed: must be a PostgreSQL database name of 1 to 63'],
    ['a template database', external({ dify: 'template1' }),
      'env.yaml: postgresql.external.databases.dify: "template1" is not allowed: is one of PostgreSQL\'s template databases: name a database of Dify\'s own'],
    ['the plugin daemon in Dify\'s database', external({ dify: 'shared', pluginDaemon: 'shared' }),
      'env.yaml: postgresql.external.databases.pluginDaemon: "shared" is not allowed: is Dify\'s database too (postgresql.external.databases.dify): '
        + 'the plugin daemon\'s needs a database of its own, or their tables would mix'],
    ['a name that is another database\'s default', external({ vector: 'dify' }, { vectorStore: 'pgvector' }),
      'env.yaml: postgresql.external.databases.vector: "dify" is not allowed: is Dify\'s database too (postgresql.external.databases.dify, by default): '
        + 'pgvector\'s needs a database of its own'],
    ['a vector database without pgvector', external({ vector: 'vectors' }),
      'env.yaml: postgresql.external.databases.vector: "vectors" is not allowed: does nothing: only vectorStore: pgvector keeps the vectors in a database of this server'],
    ['a plugin database for a Dify without the daemon', external({ pluginDaemon: 'plugins' }, { dify: { version: '0.6.11' } }),
      'env.yaml: postgresql.external.databases.pluginDaemon: "plugins" is not allowed: does nothing: Dify 0.6.11 has no plugin daemon'],
    ['an unknown database', external({ api: 'dify' }), 'env.yaml: postgresql.external.databases.api: unknown setting: known settings here: dify, pluginDaemon, vector'],
    ['createDatabases that is not a boolean', { postgresql: { existingCluster: { name: 'pg', createDatabases: 'no' } } } as unknown as DifyPlatformProps,
      'env.yaml: postgresql.existingCluster'],
  ])('%s', (_case, props, line) => {
    const lines = configProblems(props);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(line);
  });

  test('a shared default is no clash where that database is not in use, and a name of the existing cluster\'s is checked the same', () => {
    expect(configProblems(external({ dify: 'dify_vector' }))).toEqual([]);
    expect(configProblems({ postgresql: { existingCluster: { name: 'pg', databases: { pluginDaemon: 'dify' } } } })).toEqual([
      'env.yaml: postgresql.existingCluster.databases.pluginDaemon: "dify" is not allowed: is Dify\'s database too (postgresql.existingCluster.databases.dify, by default): '
        + 'the plugin daemon\'s needs a database of its own, or their tables would mix',
    ]);
  });
});
