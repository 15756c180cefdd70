/**
 * An external PostgreSQL's sslmode reaches every client Dify runs, each in the words that client takes: the plugin
 * daemon panics at start on a DB_SSL_MODE other than disable or require (dify-plugin-daemon 0.5.3 to 0.6.10,
 * internal/types/app/config.go), so each of libpq's modes is either said in those words, never weaker, or refused.
 */
import { DifyPlatformProps, SSL_MODES } from '../../../lib';
import { DAEMON_SSL_MODE } from '../../../lib/dify/wiring/postgres-tls';
import { configProblems } from '../../helpers/configs';
import { envOf } from '../../helpers/dify';
import { BORIS_CHART, CHART_0_9_1 } from '../../helpers/platforms';
import { describeWithCommunityCharts } from '../../helpers/community-charts';
import { describeWithHelm } from '../../helpers/required-tool';
import { Manifest, synthPlatform } from '../../helpers/synth';


/** What the daemon's validator accepts (`oneof=disable require`). */
const DAEMON_ACCEPTS = ['disable', 'require'];

/** libpq's modes the platform takes, and the DB_SSL_MODE the daemon gets for each. */
const DAEMON_MODE_OF: [string, string][] = [['disable', 'disable'], ['allow', 'disable'], ['prefer', 'require'], ['require', 'require']];

function external(sslMode?: string): DifyPlatformProps {
  return { postgresql: { external: { host: 'db.example.com', credentialsSecret: 'dify-db', ...(sslMode ? { sslMode: sslMode as 'require' } : {}) } } };
}

/** The env of the container that runs the plugin daemon, wherever the app tier put it. */
function daemonEnv(objects: Manifest[]): Record<string, string> {
  const containers = objects.filter((object) => object.kind === 'Deployment' || object.kind === 'StatefulSet')
    .flatMap((object) => object.spec.template.spec.containers as any[])
    .filter((container) => /dify-plugin-daemon:/.test(container.image));
  expect(containers).toHaveLength(1);
  return envOf(containers[0]);
}

describe('the plugin daemon gets a DB_SSL_MODE it starts with', () => {
  test.each(DAEMON_MODE_OF)('sslMode %s: DB_SSL_MODE %s', (mode, daemonMode) => {
    expect(configProblems(external(mode))).toEqual([]);
    expect(daemonEnv(synthPlatform(external(mode))).DB_SSL_MODE).toBe(daemonMode);
  });

  test('the default sslMode (prefer) gives require, and the platform\'s own cluster disable', () => {
    expect(daemonEnv(synthPlatform(external())).DB_SSL_MODE).toBe('require');
    expect(daemonEnv(synthPlatform({})).DB_SSL_MODE).toBe('disable');
  });

  test('every mode the platform takes is tested here and maps to one the daemon accepts', () => {
    expect(DAEMON_MODE_OF.map(([mode]) => mode)).toEqual([...SSL_MODES]);
    for (const mode of SSL_MODES) expect(DAEMON_ACCEPTS).toContain(DAEMON_SSL_MODE[mode]);
  });

  test.each(['verify-ca', 'verify-full'])('sslMode %s is refused in one line that says why and what is allowed', (mode) => {
    const lines = configProblems(external(mode));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(`postgresql.external.sslMode: "${mode}" is not allowed: must be one of disable, allow, prefer, require: `
      + 'verify-ca and verify-full need a CA certificate, which no container here is given, and the plugin daemon takes only disable or require');
  });

  test('a mode libpq does not know gets the list alone', () => {
    expect(configProblems(external('on'))).toEqual([expect.stringContaining('postgresql.external.sslMode: "on" is not allowed: must be one of disable, allow, prefer, require')]);
    expect(configProblems(external('on'))[0]).not.toContain('verify-ca');
  });
});

describeWithCommunityCharts('the chart sslMode tests', describeWithHelm)('the chart tiers give their plugin daemon the same DB_SSL_MODE', () => {
  const withExternal = (chart: DifyPlatformProps, mode: string): DifyPlatformProps => ({ ...chart, ...external(mode) });
  test.each(DAEMON_MODE_OF)('douban chart 0.9.1, sslMode %s: DB_SSL_MODE %s', (mode, daemonMode) => {
    expect(daemonEnv(synthPlatform(withExternal(CHART_0_9_1, mode))).DB_SSL_MODE).toBe(daemonMode);
  });
  test.each(DAEMON_MODE_OF)('BorisPolonsky\'s chart, sslMode %s: DB_SSL_MODE %s', (mode, daemonMode) => {
    expect(daemonEnv(synthPlatform(withExternal(BORIS_CHART, mode))).DB_SSL_MODE).toBe(daemonMode);
  });
});

/** Dify's backend containers that connect to PostgreSQL (api, worker, beat, the migration Job's): the api image with DB_HOST. */
function backendContainers(objects: Manifest[]): [string, Record<string, string>][] {
  return objects.filter((object) => ['Deployment', 'StatefulSet', 'Job'].includes(object.kind))
    .flatMap((object) => [...(object.spec.template.spec.initContainers ?? []), ...object.spec.template.spec.containers]
      .filter((container: any) => /dify-api:/.test(container.image))
      .map((container: any): [string, Record<string, string>] => [`${object.kind}/${object.metadata.name}/${container.name}`, envOf(container)]))
    .filter(([, env]) => env.DB_HOST !== undefined);
}

describe('every PostgreSQL connection of Dify\'s processes gets the sslmode, the pgvector pool\'s included', () => {
  // The pool connects with host, port, user, password and database alone (api/core/rag/datasource/vdb/pgvector/pgvector.py
  // up to 1.15, api/providers/vdb/vdb-pgvector/.../pgvector.py in 1.16): only libpq's PGSSLMODE reaches it.
  test.each(['1.16.1', '1.13.3', '0.6.11'])('Dify %s: api, worker, beat and the migration Job get PGSSLMODE', (version) => {
    const objects = synthPlatform({ ...external('require'), vectorStore: 'pgvector', dify: { version } });
    const containers = backendContainers(objects);
    expect(containers.map(([where]) => where)).toEqual(expect.arrayContaining([expect.stringMatching(/^Deployment\/dify-api\//), expect.stringMatching(/^Deployment\/dify-worker\//)]));
    for (const [where, env] of containers) {
      expect({ where, PGSSLMODE: env.PGSSLMODE, PGVECTOR_HOST: env.PGVECTOR_HOST }).toEqual({ where, PGSSLMODE: 'require', PGVECTOR_HOST: 'db.example.com' });
    }
  });

  test('Dify 0.6.11, which reads no DB_EXTRAS, may require TLS', () => {
    expect(configProblems({ ...external('require'), dify: { version: '0.6.11' } })).toEqual([]);
  });

  test('the platform\'s own cluster gets none: in-cluster traffic', () => {
    for (const [where, env] of backendContainers(synthPlatform({ vectorStore: 'pgvector' }))) expect({ where, PGSSLMODE: env.PGSSLMODE }).toEqual({ where, PGSSLMODE: undefined });
  });

  test('a user\'s backendEnv cannot replace it', () => {
    expect(configProblems({ ...external('require'), dify: { backendEnv: [{ name: 'PGSSLMODE', value: 'disable' }] } }))
      .toEqual([expect.stringContaining('PGSSLMODE')]);
  });
});

describeWithCommunityCharts('the chart sslMode tests', describeWithHelm)('the douban chart\'s backend gets PGSSLMODE too, and its plugin daemon does not', () => {
  test('douban chart 0.9.1', () => {
    const objects = synthPlatform({ ...CHART_0_9_1, ...external('require') });
    const containers = backendContainers(objects);
    expect(containers.length).toBeGreaterThan(0);
    for (const [where, env] of containers) expect({ where, PGSSLMODE: env.PGSSLMODE }).toEqual({ where, PGSSLMODE: 'require' });
    expect(daemonEnv(objects).PGSSLMODE).toBeUndefined();
  });
  test('BorisPolonsky\'s chart', () => {
    const containers = backendContainers(synthPlatform({ ...BORIS_CHART, ...external('require') }));
    expect(containers.length).toBeGreaterThan(0);
    for (const [where, env] of containers) expect({ where, PGSSLMODE: env.PGSSLMODE }).toEqual({ where, PGSSLMODE: 'require' });
  });
});
