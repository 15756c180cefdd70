/** The rules of dify.worker.pools, as the error lines a user reads. */
import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { difyFeatures } from '../../lib';
import { configProblems as problems } from '../helpers/configs';

const indexing = { name: 'indexing', queues: ['dataset', 'priority_dataset'] };

describe('dify.worker.pools: what is refused, in one line each', () => {
  test.each<[string, unknown, string[]]>([
    ['a pool name that is not a DNS label', { dify: { worker: { pools: [{ name: 'Indexing', queues: ['dataset'] }] } } },
      ['env.yaml: dify.worker.pools[0].name: "Indexing" is not allowed: must be a pool name: lowercase letters, digits and \'-\', starting with a letter and ending with a letter or digit']],
    ['a pool name whose Deployment would pass 63 characters', { dify: { worker: { pools: [{ name: 'p'.repeat(52), queues: ['dataset'] }] } } },
      [`env.yaml: dify.worker.pools[0].name: "${'p'.repeat(52)}" is not allowed: must be a pool name of at most 51 characters (its Deployment, dify-worker-<name>, is a DNS label)`]],
    ['two pools of one name', { dify: { worker: { pools: [indexing, { name: 'indexing', queues: ['mail'] }] } } },
      ['env.yaml: dify.worker.pools[1].name: "indexing" is not allowed: is the name of dify.worker.pools[0] too: each pool needs its own (its Deployment is dify-worker-<name>)']],
    ['a pool without queues', { dify: { worker: { pools: [{ name: 'idle', queues: [] }] } } },
      ['env.yaml: dify.worker.pools[0].queues: [] is not allowed: must name at least one queue']],
    ['a queue no version uses', { dify: { version: '1.13.3', worker: { pools: [{ name: 'indexing', queues: ['datasets'] }] } } },
      [`env.yaml: dify.worker.pools[0].queues[0]: "datasets" is not allowed: is not a queue of Dify 1.13.3 (pool indexing); the queues of 1.13.3: ${difyFeatures('1.13.3').workerQueues.join(', ')}`]],
    ['a queue of later versions only, after a move back to 0.6.11', { dify: { version: '0.6.11', worker: { pools: [{ name: 'flows', queues: ['workflow'] }] } } },
      ['env.yaml: dify.worker.pools[0].queues[0]: "workflow" is not allowed: is not a queue of Dify 0.6.11 (pool flows); only Dify 1.13.3, 1.14.0, 1.14.1, 1.14.2, 1.15.0, 1.16.1 use it: take it out of the pool; the queues of 0.6.11: dataset, mail']],
    ['a queue in two pools', { dify: { worker: { pools: [indexing, { name: 'bulk', queues: ['mail', 'dataset'] }] } } },
      ['env.yaml: dify.worker.pools[1].queues[1]: "dataset" is not allowed: is consumed by pool indexing already (dify.worker.pools[0]): each queue has one worker']],
    ['every queue in pools, none left to the default worker', { dify: { version: '0.6.11', worker: { pools: [{ name: 'all', queues: ['dataset', 'mail'] }] } } },
      ['env.yaml: dify.worker.pools: ["all"] is not allowed: take every queue of Dify 0.6.11: leave at least one to the default worker dify-worker, which also takes the queues a later version adds']],
    ['CELERY_QUEUES in dify.backendEnv beside pools', { dify: { backendEnv: [{ name: 'CELERY_QUEUES', value: 'dataset' }], worker: { pools: [indexing] } } },
      ['env.yaml: dify.backendEnv[0].name: "CELERY_QUEUES" is not allowed: would replace the queues dify.worker.pools gives each worker, and a queue would be read twice or never: name the queues in the pools']],
    ['CELERY_WORKER_QUEUES in a pool\'s env', { dify: { worker: { pools: [{ ...indexing, env: [{ name: 'CELERY_WORKER_QUEUES', value: 'mail' }] }] } } },
      ['env.yaml: dify.worker.pools[0].env[0].name: "CELERY_WORKER_QUEUES" is not allowed: would replace the queues dify.worker.pools gives each worker, and a queue would be read twice or never: name the queues in the pools']],
    ['replicas beside autoscaling in a pool', { dify: { worker: { pools: [{ ...indexing, replicas: 2, autoscaling: { maxReplicas: 4, targetCPUUtilizationPercentage: 70 } }] } } },
      ['env.yaml: dify.worker.pools[0].replicas: 2 is not allowed: is decided by autoscaling: give autoscaling.minReplicas and maxReplicas instead']],
    ['a wired variable in a pool\'s env', { dify: { worker: { pools: [{ ...indexing, env: [{ name: 'CELERY_WORKER_AMOUNT', value: '8' }] }] } } },
      ['env.yaml: dify.worker.pools[0].env[0].name: "CELERY_WORKER_AMOUNT" is not allowed: the platform sets CELERY_WORKER_AMOUNT; to change it use dify.worker.concurrency (a pool\'s is the concurrency of its entry in dify.worker.pools)']],
    ['a mount of a volume the pool does not have', { dify: { worker: { pools: [{ ...indexing, extraVolumeMounts: [{ name: 'ca', mountPath: '/etc/ca' }] }] } } },
      ['env.yaml: dify.worker.pools[0].extraVolumeMounts[0].name: "ca" is not allowed: must name one of the extraVolumes of these pods (none given)']],
    ['a request above its limit in a pool', { dify: { worker: { pools: [{ ...indexing, resources: { requests: { memory: '4Gi' }, limits: { memory: '2Gi' } } }] } } },
      ['env.yaml: dify.worker.pools[0].resources.requests.memory: "4Gi" is not allowed: a request must not exceed its limit (2Gi); raise resources.limits.memory too']],
    ['pools with the community chart', { dify: { version: '1.16.1', chart: { path: 'charts/dify' }, worker: { pools: [indexing] } } },
      ['env.yaml: dify.worker.pools: ["indexing"] is not allowed: needs the native app tier: the community chart (dify.chart) runs one worker Deployment for every queue']],
  ])('%s', (_case, input, expected) => {
    expect(problems(input)).toEqual(expected);
  });

  test.each(['0.6.11', '1.13.3', '1.16.1'])('a pool of a queue of Dify %s, with CELERY_QUEUES elsewhere than the workers\' env, is taken', (version) => {
    expect(problems({ dify: { version, worker: { pools: [{ name: 'indexing', queues: ['dataset'], concurrency: 8 }] } } })).toEqual([]);
  });
});

test('the settings guide\'s indexing pool is a config synth takes', () => {
  const guide = fs.readFileSync(path.join(__dirname, '..', '..', 'docs', 'settings-guide.md'), 'utf8');
  const example = /## Worker pools\n[\s\S]*?```yaml\n([\s\S]*?)```/.exec(guide)?.[1];
  const config = parse(example ?? '');

  expect(config.dify.worker.pools.map((pool: { name: string }) => pool.name)).toEqual(['indexing', 'workflows']);
  expect(problems(config)).toEqual([]);
});
