/**
 * The migration Job's check of the Redis credentials that Kubernetes writes unescaped into CELERY_BROKER_URL, run
 * with sh exactly as synthesized, with the values a Secret could hold.
 */
import { spawnSync } from 'child_process';
import { DifyPlatformProps } from '../../../lib';
import { byKindAndName, podSpec } from '../../helpers/dify';
import { synthPlatform } from '../../helpers/synth';

const EXTERNAL: DifyPlatformProps = {
  redis: { external: { host: 'redis.example.com', credentialsSecret: 'dify-redis', usernameKey: 'user', passwordKey: 'pass' } },
  dify: { redisMode: 'direct' },
};

function checkOf(props: DifyPlatformProps) {
  const job = byKindAndName(synthPlatform(props), 'Job', /^dify-migrate-/);
  const check = podSpec(job).initContainers[0];
  expect(check.name).toBe('check-broker-credentials');
  return check;
}

/** Runs the check with the Secret's values in place of the references. */
function run(check: any, secretValues: Record<string, string>) {
  const env: Record<string, string> = { PATH: process.env.PATH ?? '/usr/bin:/bin' };
  for (const variable of check.env) env[variable.name] = variable.value ?? secretValues[variable.name];
  const [shell, ...args] = check.command;
  const result = spawnSync(shell, args, { env, encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr.trim() };
}

describe('the Redis credentials of the Celery broker URL', () => {
  test('runs first in the migration Job, with the password the broker URL is built from', () => {
    const check = checkOf(EXTERNAL);
    expect(check.env).toContainEqual({ name: 'REDIS_PASSWORD', valueFrom: { secretKeyRef: { name: 'dify-redis', key: 'pass' } } });
    expect(check.env).toContainEqual({ name: 'REDIS_USERNAME', valueFrom: { secretKeyRef: { name: 'dify-redis', key: 'user' } } });
  });

  test('lets through what KubeBlocks generates and what a URL carries as it is', () => {
    expect(run(checkOf(EXTERNAL), { REDIS_USERNAME: 'dify', REDIS_PASSWORD: 'Ab3dE5gH9k' }).status).toBe(0);
    expect(run(checkOf(EXTERNAL), { REDIS_USERNAME: 'dify', REDIS_PASSWORD: 'a-b_c.d~e!f*g(h)$&+=,:' }).status).toBe(0);
    expect(run(checkOf({}), { REDIS_PASSWORD: 'Ab3dE5gH9k' }).status).toBe(0);
  });

  test.each(['p/ss', 'p?ss', 'p#ss', 'p%41ss', 'p@ss', 'p;ss'])('refuses the password %s in one line that names the Secret, not the value', (password) => {
    const { status, stderr } = run(checkOf(EXTERNAL), { REDIS_USERNAME: 'dify', REDIS_PASSWORD: password });

    expect(status).toBe(1);
    expect(stderr.split('\n')).toHaveLength(1);
    expect(stderr).toContain('the Redis password in Secret dify-redis, key pass holds one of / ? # % @ ;');
    expect(stderr).not.toContain(password);
  });

  test('refuses a user name with a colon, which would end it early in the URL', () => {
    const { status, stderr } = run(checkOf(EXTERNAL), { REDIS_USERNAME: 'dify:app', REDIS_PASSWORD: 'fine' });
    expect(status).toBe(1);
    expect(stderr).toContain('the Redis user name in Secret dify-redis, key user holds one of');
  });

  test('in Sentinel mode the URL has no user name, so only the password is checked', () => {
    const check = checkOf({ dify: { redisMode: 'sentinel' } });
    expect(check.env.map((variable: any) => variable.name)).toEqual(['REDIS_PASSWORD', 'PASS_FROM']);
    expect(run(check, { REDIS_PASSWORD: 'a#b' }).status).toBe(1);
  });
});
