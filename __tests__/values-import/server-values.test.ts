/**
 * The servers a values file points at, given oddly: a host with a scheme and a `user:password@`, a Qdrant URL with a
 * key in it, a port as a list or a word. None of it is carried as given: a credential would be written to the config
 * (and printed) in plain text, and a port of `.nan` or a host with a scheme is no setting synth takes. Each is a note
 * naming where it was, never its text.
 */
import { dump } from 'js-yaml';
import { importChartValues } from '../../lib/values-import/import-chart-values';

const SECRETS = ['Sup3rS3cret', 'R3disPw', 'QdPw', 'QKEY'];

function imported(values: Record<string, unknown>, chart: 'douban' | 'boris') {
  const { config, notes } = importChartValues(values, chart);
  return { config, notes, written: `${dump(config)}\n${notes.join('\n')}` };
}

describe('douban values whose servers are given oddly', () => {
  const { config, notes, written } = imported({
    postgresql: { embedded: false }, redis: { embedded: false },
    global: { extraBackendEnvs: [
      { name: 'DB_HOST', value: 'postgres://admin:Sup3rS3cret@db.example.com:5432/dify' },
      { name: 'REDIS_HOST', value: 'cache.example.com' }, { name: 'REDIS_PORT', value: [6379] },
      { name: 'QDRANT_URL', value: 'https://qd:QdPw@qdrant.example.com:6333?api-key=QKEY' },
    ] },
  }, 'douban');

  test('no credential of a host or URL is written or printed', () => {
    for (const secret of SECRETS) expect(written).not.toContain(secret);
    expect(notes).toContain('global.extraBackendEnvs[0] (DB_HOST): not carried: a plaintext secret: it holds a credential (user:password@), '
      + 'which would reach dist/ and git in plain text; give postgresql.external.host as the server\'s name alone, and the credential through its Secret');
    expect(notes).toContainEqual(expect.stringMatching(/^global\.extraBackendEnvs\[3\] \(QDRANT_URL\): not carried: a plaintext secret: /));
    expect(config).not.toHaveProperty('postgresql');
    expect(config).not.toHaveProperty('qdrant');
  });

  test('a port that is a list is named, not turned into text', () => {
    expect(notes).toContain('global.extraBackendEnvs[2] (REDIS_PORT): not carried: the port must be one value, not a list or a mapping');
    expect(config).toMatchObject({ redis: { external: { host: 'cache.example.com' } } });
    expect((config as any).redis.external).not.toHaveProperty('port');
  });
});

describe('BorisPolonsky values whose external blocks have the wrong types', () => {
  const { config, notes, written } = imported({
    externalPostgres: { enabled: true, address: 'postgres://db.example.com', port: [5432, 1] },
    externalRedis: { enabled: true, host: { a: 1 }, port: 'abc' },
    externalQdrant: { enabled: true, endpoint: 'https://qd:QdPw@qdrant.example.com:6333' },
  }, 'boris');

  test('no NaN port, host with a scheme, mapping for a host, or credential is written', () => {
    expect(written).not.toMatch(/\.nan|NaN|postgres:\/\/|QdPw/);
    expect(config).toMatchObject({ postgresql: { external: { credentialsSecret: 'dify-postgresql-credentials' } }, redis: { external: { credentialsSecret: 'dify-redis-credentials' } } });
    expect(notes).toEqual(expect.arrayContaining([
      'externalPostgres.address: not carried: it must be a DNS name or an IP address, without scheme or port: give postgresql.external.host by hand',
      'externalPostgres.port: not carried: it is not a port (a whole number from 1 to 65535): give postgresql.external.port by hand',
      'externalRedis.host: not carried: it is not a host name: give redis.external.host by hand',
      'externalRedis.port: not carried: it is not a port (a whole number from 1 to 65535): give redis.external.port by hand',
    ]));
  });

  test('a port left out is still the chart\'s default', () => {
    const { config: defaults } = imported({ externalPostgres: { enabled: true, address: 'pg.example.org' } }, 'boris');
    expect(defaults).toMatchObject({ postgresql: { external: { host: 'pg.example.org', port: 5432 } } });
  });
});
