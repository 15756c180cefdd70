/**
 * A key a setting reads from a Secret or ConfigMap is one the API server lets the Secret hold: `.`, `..` and keys
 * starting with `..` are refused there (a key is a file name in a mounted volume), so a config naming one could
 * never be satisfied.
 */
import { configProblems } from '../helpers/configs';

const withKey = (key: string) => ({ redis: { external: { host: 'redis.example.com', credentialsSecret: 'dify-redis', tls: { enabled: true, ca: { secretName: 'redis-ca', key } } } } });

test.each(['.', '..', '..ca.crt'])('the key %s is refused in one line', (key) => {
  const problems = configProblems(withKey(key));
  expect(problems).toHaveLength(1);
  expect(problems[0]).toMatch(/^env\.yaml: redis\.external\.tls\.ca\.key: .* is not allowed: must be a key name: letters, digits, '-', '_' and '\.', not \. or \.\. nor starting with \.\.$/);
});

test.each(['ca.crt', '.ca', 'tls..crt', 'a'.repeat(253)])('the key %s is taken', (key) => {
  expect(configProblems(withKey(key))).toEqual([]);
});

test('a key over 253 characters is refused by its length, in one line', () => {
  expect(configProblems(withKey('a'.repeat(254)))).toEqual([expect.stringMatching(/is not allowed: must be a key name of at most 253 characters$/)]);
});
