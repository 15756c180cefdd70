/**
 * A user's `env` and `backendEnv` may tune what the platform sets as a default, never replace what it wires. Every
 * variable the platform gives a Dify container must therefore be classified: wired (refused in user env, with the
 * setting to use instead) or tunable. A new variable that is neither fails here, so the refusal cannot fall behind.
 */
import { DifyPlatformProps, isCredentialName, TUNABLE_ENV, wiredSetting } from '../../../lib';
import { allPodSpecs } from '../../helpers/dify';
import { synthPlatform } from '../../helpers/synth';

/** Components whose containers take a user's env: the Dify programs and the proxies. */
const USER_ENV_COMPONENTS = new Set(['api', 'worker', 'beat', 'migration', 'plugin-backfill', 'api-websocket', 'web', 'sandbox',
  'plugin-daemon', 'ssrf-proxy', 'agent-backend', 'local-sandbox', 'agent-ssrf-proxy']);

/** Every option on, so that every variable the platform can write is written somewhere. */
const PLATFORMS: DifyPlatformProps[] = [
  {},
  { dify: { redisMode: 'sentinel', collaboration: { enabled: true }, agent: { enabled: true }, tls: { enabled: true, secretName: 't' } } },
  { dify: { storage: { type: 's3', s3: { endpoint: 'https://s3.example.org', bucket: 'dify-files', credentialsSecret: 's3' } } } },
  { dify: { version: '1.15.0', storage: { type: 'volume' }, collaboration: { enabled: true } } },
  { dify: { version: '0.6.11', storage: { type: 'volume' } } },
];

function platformVariables(): Set<string> {
  const names = new Set<string>();
  for (const props of PLATFORMS) {
    const objects = synthPlatform(props);
    for (const [where, spec] of allPodSpecs(objects)) {
      const object = objects.find((candidate) => `${candidate.kind}/${candidate.metadata.name}` === where)!;
      const component = object.metadata.labels?.['app.kubernetes.io/component'] ?? '';
      if (!USER_ENV_COMPONENTS.has(component)) continue;
      // The migration Job's Dify program is its `migrate` init container; its one container is the psql schema check.
      // The data migrations beside it (component migration too) run Dify in their one container.
      const migrate = spec.initContainers?.find((c: { name: string }) => c.name === 'migrate');
      const container = component === 'migration' && migrate ? migrate : spec.containers[0];
      for (const variable of container.env ?? []) names.add(variable.name);
    }
  }
  return names;
}

describe('the variables the platform sets', () => {
  const names = [...platformVariables()].sort();

  test('are each either wired or tunable, never both', () => {
    expect(names.length).toBeGreaterThan(60);
    expect(names.filter((name) => (wiredSetting(name) === undefined) === !TUNABLE_ENV.has(name))).toEqual([]);
  });

  test('a tunable one never carries a credential', () => {
    expect([...TUNABLE_ENV].filter(isCredentialName)).toEqual([]);
  });

  test('the tunable list names nothing the platform does not set', () => {
    expect([...TUNABLE_ENV].filter((name) => !names.includes(name))).toEqual([]);
  });
});
