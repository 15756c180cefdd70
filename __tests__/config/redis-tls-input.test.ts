/**
 * `redis.external.tls` given its check without being switched on: TLS is off by default, so verify or a CA bundle
 * without `enabled: true` used to synthesize a plain TCP connection that sends the Redis password in the clear.
 */
import { configProblems } from '../helpers/configs';

const server = { host: 'redis.example.com', credentialsSecret: 'dify-redis' };
const ca = { secretName: 'redis-ca', key: 'ca.crt' };

test.each([
  ['a CA bundle without enabled', { ca }, 'undefined', 'ca'],
  ['verify with enabled: false', { enabled: false, verify: 'required' }, 'false', 'verify'],
  ['both without enabled', { verify: 'required', ca }, 'undefined', 'verify and ca'],
])('%s is refused in one line', (_case, tls, value, given) => {
  expect(configProblems({ redis: { external: { ...server, tls } } })).toEqual([
    `env.yaml: redis.external.tls.enabled: ${value === 'undefined' ? 'nothing' : value} is not allowed: must be true with ${given}: `
      + `without it the connection is plain TCP and ${given} would be ignored`]);
});

test('enabled: false alone, or enabled with its check, is taken', () => {
  expect(configProblems({ redis: { external: { ...server, tls: { enabled: false } } } })).toEqual([]);
  expect(configProblems({ redis: { external: { ...server, tls: { enabled: true, ca } } } })).toEqual([]);
});
