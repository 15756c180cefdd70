/**
 * Worker pools (`dify.worker.pools`): more Celery worker Deployments, each consuming the queues it names, beside the
 * default worker, which consumes every queue of the version that no pool names. Each queue the version's code sends
 * tasks to (features.ts, workerQueues) has exactly one consumer, so none fills up unread and none is split by accident.
 *
 * Queues are chosen by `CELERY_QUEUES`, which the api image's entrypoint passes to `celery worker -Q` at every
 * supported version (api/docker/entrypoint.sh at the version bumps of 0.6.11, 1.13.3, 1.14.0 to 1.14.2, 1.15.0 and
 * 1.16.1: `-Q ${CELERY_QUEUES:-dataset,generation,mail}` on 0.6.11; `DEFAULT_QUEUES="${CELERY_QUEUES}"` when set from
 * 1.13.3, where `CELERY_WORKER_QUEUES` overrides it, since upstream b76e17b25d of 2025-11-12). So no supported version
 * is refused pools, and a user's `CELERY_QUEUES` or `CELERY_WORKER_QUEUES` would undo the split: both are refused
 * beside pools.
 */
import { Issue } from '../setting-issue';
import { WorkerPoolSettings } from './dify-component-settings';
import { DifySettings } from './dify-settings';
import { DEFAULT_DIFY_VERSION, DIFY_RELEASES, difyFeatures } from './features';

/** `dify-worker-<name>` is the pool's Deployment: a DNS label of at most 63 characters, like every other one's. */
export const MAX_POOL_NAME = 63 - 'dify-worker-'.length;

/** The variables that choose a worker's queues in the entrypoint: the platform sets the first one per worker. */
export const QUEUE_VARIABLES: readonly string[] = ['CELERY_QUEUES', 'CELERY_WORKER_QUEUES'];

/**
 * A pool's component: the `app.kubernetes.io/component` of its pods and, prefixed with `dify-`, its objects' name.
 * It differs from the default worker's `worker`, so neither Deployment's selector matches the other's pods.
 */
export function poolComponent(name: string): string {
  return `worker-${name}`;
}

/** The components of the platform's pools (their pods' `app.kubernetes.io/component`). */
export function poolComponents(dify: DifySettings): ReadonlySet<string> {
  return new Set((dify.worker?.pools ?? []).map((pool) => poolComponent(pool.name)));
}

/** Where a pool's settings are, from the top of the config: for error lines and for reading them. */
export function poolPath(index: number): readonly (string | number)[] {
  return ['dify', 'worker', 'pools', index];
}

/** The queues the default worker consumes: every queue of the version that no pool names, in the version's order. */
export function defaultWorkerQueues(versionQueues: readonly string[], pools: readonly WorkerPoolSettings[] = []): string[] {
  const claimed = new Set(pools.flatMap((pool) => pool.queues));
  return versionQueues.filter((queue) => !claimed.has(queue));
}

/** The supported versions whose code uses `queue`, for the line that says why a pool's queue is gone. */
function versionsWith(queue: string): string[] {
  return Object.keys(DIFY_RELEASES).filter((version) => difyFeatures(version).workerQueues.includes(queue));
}

/**
 * `dify.worker.pools` against the version and each other: unique names, queues of the version, each queue in one pool
 * at most, a queue left to the default worker, and no variable of the user's that chooses queues. On the chart tier
 * the chart rules refuse the pools themselves (chart-rules.ts), in one line.
 */
export function workerPoolIssues(dify: DifySettings): Issue[] {
  const pools = dify.worker?.pools ?? [];
  if (pools.length === 0 || dify.chart) return [];
  const features = difyFeatures(dify.version ?? DEFAULT_DIFY_VERSION);
  const version = features.version;
  const issues: Issue[] = [];
  const names = new Map<string, number>();
  const owner = new Map<string, { pool: string; index: number }>();
  pools.forEach((pool, index) => {
    const first = names.get(pool.name);
    if (first !== undefined) {
      issues.push({ path: [...poolPath(index), 'name'], input: pool.name,
        message: `is the name of dify.worker.pools[${first}] too: each pool needs its own (its Deployment is dify-worker-<name>)` });
    } else names.set(pool.name, index);
    pool.queues.forEach((queue, q) => {
      const path = [...poolPath(index), 'queues', q];
      if (!features.workerQueues.includes(queue)) {
        const elsewhere = versionsWith(queue);
        const why = elsewhere.length > 0 ? `; only Dify ${elsewhere.join(', ')} use it: take it out of the pool` : '';
        issues.push({ path, input: queue,
          message: `is not a queue of Dify ${version} (pool ${pool.name})${why}; the queues of ${version}: ${features.workerQueues.join(', ')}` });
        return;
      }
      const taken = owner.get(queue);
      if (taken) {
        issues.push({ path, input: queue, message: `is consumed by pool ${taken.pool} already (dify.worker.pools[${taken.index}]): each queue has one worker` });
      } else owner.set(queue, { pool: pool.name, index });
    });
  });
  if (owner.size === features.workerQueues.length) {
    issues.push({ path: ['dify', 'worker', 'pools'], input: pools.map((pool) => pool.name),
      message: `take every queue of Dify ${version}: leave at least one to the default worker dify-worker, which also takes the queues a later version adds` });
  }
  const envs: [readonly (string | number)[], WorkerPoolSettings['env']][] = [
    [['dify', 'backendEnv'], dify.backendEnv], [['dify', 'worker', 'env'], dify.worker?.env],
    ...pools.map((pool, index): [readonly (string | number)[], WorkerPoolSettings['env']] => [[...poolPath(index), 'env'], pool.env]),
  ];
  for (const [path, entries] of envs) {
    (entries ?? []).forEach((entry, index) => {
      if (QUEUE_VARIABLES.includes(entry.name)) {
        issues.push({ path: [...path, index, 'name'], input: entry.name,
          message: `would replace the queues dify.worker.pools gives each worker, and a queue would be read twice or never: name the queues in the pools` });
      }
    });
  }
  return issues;
}
