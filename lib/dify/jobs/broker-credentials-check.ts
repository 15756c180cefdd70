import * as k8s from '../../k8s';
import { SecretKeyRef } from '../../kubeblocks/connections';
import { DifyContext } from '../dify-context';
import { readScript } from '../wiring/project-files';
import { jobResources } from './job';
import { RESTRICTED_CONTAINER, secretEnv, env } from '../components/workload';

const where = (ref: SecretKeyRef) => `Secret ${ref.name}, key ${ref.key}`;

/**
 * A step of the migration Job (the first Job that runs Dify with the Redis credentials) that fails with one line
 * when they would break the Celery broker URL, which Kubernetes assembles from them unescaped (backend-env.ts).
 * KubeBlocks' generated passwords are letters and digits; a Secret of an existing or external Redis may be anything.
 */
export function brokerCredentialsCheck(ctx: DifyContext): k8s.Container {
  const redis = ctx.redis;
  // Only the direct URL carries the user name; Sentinel's has a password alone.
  const username = ctx.config.redisMode === 'direct' ? redis.username : undefined;
  return {
    name: 'check-broker-credentials',
    image: ctx.config.images.bootstrap,
    imagePullPolicy: 'IfNotPresent',
    command: ['/bin/sh', '-c', readScript('check-broker-credentials.sh')],
    env: [
      secretEnv('REDIS_PASSWORD', redis.password),
      env('PASS_FROM', where(redis.password)),
      ...(username ? [secretEnv('REDIS_USERNAME', username), env('USER_FROM', where(username))] : []),
    ],
    resources: jobResources(),
    securityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: 100 },
  };
}
