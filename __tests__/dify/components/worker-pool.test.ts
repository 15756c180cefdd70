/** The objects of dify.worker.pools: one Deployment per pool, each queue read by exactly one worker, no selector shared. */
import { DifyPlatformProps, difyFeatures } from '../../../lib';
import { Manifest, synthPlatform } from '../../helpers/synth';

const indexing = { name: 'indexing', queues: ['dataset', 'priority_dataset'] };
const workflows = { name: 'workflows', queues: ['workflow', 'workflow_based_app_execution'] };

const deployment = (objects: Manifest[], name: string) => objects.find((object) => object.kind === 'Deployment' && object.metadata.name === name);
const envOf = (object: Manifest | undefined) => object!.spec.template.spec.containers[0].env as { name: string; value?: string }[];
const valueOf = (object: Manifest | undefined, name: string) => envOf(object).filter((variable) => variable.name === name).map((variable) => variable.value);
const workers = (objects: Manifest[]) => objects.filter((object) => object.kind === 'Deployment' && envOf(object).some((v) => v.name === 'MODE' && v.value === 'worker'));

/** Whether a LabelSelector of matchLabels selects pods with `labels`. */
const selects = (selector: { matchLabels: Record<string, string> }, labels: Record<string, string>) =>
  Object.entries(selector.matchLabels).every(([key, value]) => labels[key] === value);

describe('worker pools', () => {
  test('a pool is a Deployment dify-worker-<name> of the api image in worker mode, on its queues, with its concurrency and size', () => {
    const objects = synthPlatform({ dify: { worker: { pools: [{ ...indexing, concurrency: 8, replicas: 3, resources: { limits: { memory: '6Gi' } } }] } } });
    const pool = deployment(objects, 'dify-worker-indexing');

    expect(pool).toBeDefined();
    expect(pool!.spec.replicas).toBe(3);
    expect(valueOf(pool, 'CELERY_QUEUES')).toEqual(['dataset,priority_dataset']);
    expect(valueOf(pool, 'CELERY_WORKER_AMOUNT')).toEqual(['8']);
    expect(pool!.spec.template.spec.containers[0].image).toBe(deployment(objects, 'dify-worker')!.spec.template.spec.containers[0].image);
    expect(pool!.spec.template.spec.containers[0].resources.limits.memory).toBe('6Gi');
    // The rest as the default worker: its CPU, its grace period for running tasks, the schema gate.
    expect(pool!.spec.template.spec.containers[0].resources.requests.cpu).toBe('250m');
    expect(pool!.spec.template.spec.terminationGracePeriodSeconds).toBe(120);
    expect(pool!.spec.template.spec.initContainers.map((c: { name: string }) => c.name))
      .toEqual(deployment(objects, 'dify-worker')!.spec.template.spec.initContainers.map((c: { name: string }) => c.name));
  });

  test.each(['0.6.11', '1.13.3', '1.14.0', '1.15.0', '1.16.1'])('on Dify %s every queue of the version is read by exactly one worker', (version) => {
    const pools = version === '0.6.11' ? [{ name: 'indexing', queues: ['dataset'] }] : [indexing, workflows];
    const objects = synthPlatform({ dify: { version, worker: { pools } } });
    const read = workers(objects).flatMap((worker) => valueOf(worker, 'CELERY_QUEUES')[0]!.split(','));

    expect(workers(objects)).toHaveLength(pools.length + 1);
    expect([...read].sort()).toEqual([...difyFeatures(version).workerQueues].sort());
    expect(valueOf(deployment(objects, 'dify-worker'), 'CELERY_QUEUES')[0]!.split(',')).not.toContain('dataset');
  });

  test('no Deployment, budget or autoscaler of the platform selects the pods of another Deployment', () => {
    const objects = synthPlatform({ dify: {
      worker: { replicas: 2, pools: [{ ...indexing, replicas: 2 }, { ...workflows, autoscaling: { minReplicas: 2, maxReplicas: 6, targetCPUUtilizationPercentage: 70 } }] },
    } });
    const deployments = objects.filter((object) => object.kind === 'Deployment');
    const podsOf = (name: string) => deployments.filter((d) => d.metadata.name === name).map((d) => d.spec.template.metadata.labels);

    for (const owner of deployments) {
      const selected = deployments.filter((other) => selects(owner.spec.selector, other.spec.template.metadata.labels)).map((d) => d.metadata.name);
      expect([owner.metadata.name, selected]).toEqual([owner.metadata.name, [owner.metadata.name]]);
    }
    const budgets = objects.filter((object) => object.kind === 'PodDisruptionBudget');
    for (const name of ['dify-worker', 'dify-worker-indexing', 'dify-worker-workflows']) {
      const budget = budgets.find((candidate) => candidate.metadata.name === name)!;
      expect(deployments.filter((d) => selects(budget.spec.selector, d.spec.template.metadata.labels)).map((d) => d.metadata.name)).toEqual([name]);
      expect(podsOf(name)[0]['app.kubernetes.io/component']).toBe(name.replace(/^dify-/, ''));
    }
    const autoscaler = objects.find((object) => object.kind === 'HorizontalPodAutoscaler')!;
    expect(autoscaler.metadata.name).toBe('dify-worker-workflows');
    expect(autoscaler.spec.scaleTargetRef.name).toBe('dify-worker-workflows');
    expect(autoscaler.spec).toMatchObject({ minReplicas: 2, maxReplicas: 6 });
    expect(deployment(objects, 'dify-worker-workflows')!.spec.replicas).toBeUndefined();
  });

  test('a pool with one replica has no budget: one that allows no eviction would block every drain', () => {
    const objects = synthPlatform({ dify: { worker: { pools: [indexing] } } });
    expect(objects.filter((object) => object.kind === 'PodDisruptionBudget').map((budget) => budget.metadata.name)).not.toContain('dify-worker-indexing');
  });

  test('a pool takes dify.pods and its own placement, env and ServiceAccount, not those of dify.worker', () => {
    const props: DifyPlatformProps = { dify: {
      pods: { priorityClassName: 'dify' },
      backendEnv: [{ name: 'LOG_LEVEL', value: 'WARNING' }],
      worker: {
        nodeSelector: { pool: 'general' }, env: [{ name: 'CELERY_PREFETCH_MULTIPLIER', value: '4' }],
        pools: [{ ...indexing, nodeSelector: { pool: 'indexing' }, tolerations: [{ key: 'indexing', operator: 'Exists', effect: 'NoSchedule' }],
          env: [{ name: 'CELERY_MAX_WORKERS', value: '6' }], serviceAccount: { create: true, annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::1:role/x' } } }],
      },
    } };
    const objects = synthPlatform(props);
    const pool = deployment(objects, 'dify-worker-indexing')!;
    const worker = deployment(objects, 'dify-worker')!;

    expect(pool.spec.template.spec.nodeSelector).toEqual({ pool: 'indexing' });
    expect(pool.spec.template.spec.tolerations).toEqual([{ key: 'indexing', operator: 'Exists', effect: 'NoSchedule' }]);
    expect(pool.spec.template.spec.priorityClassName).toBe('dify');
    expect(worker.spec.template.spec.nodeSelector).toEqual({ pool: 'general' });
    expect(worker.spec.template.spec.tolerations).toBeUndefined();
    expect(valueOf(pool, 'LOG_LEVEL')).toEqual(['WARNING']);
    expect(valueOf(pool, 'CELERY_MAX_WORKERS')).toEqual(['6']);
    expect(valueOf(pool, 'CELERY_PREFETCH_MULTIPLIER')).toEqual([]);
    expect(valueOf(worker, 'CELERY_MAX_WORKERS')).toEqual([]);
    expect(pool.spec.template.spec.serviceAccountName).toBe('dify-worker-indexing');
    expect(objects.filter((object) => object.kind === 'ServiceAccount').map((account) => account.metadata.name)).toContain('dify-worker-indexing');
  });

  test('a pool\'s volume named like the platform\'s own is refused, naming the pool\'s setting and its pods', () => {
    expect(() => synthPlatform({ dify: { worker: { pools: [{ ...indexing, extraVolumes: [{ name: 'schema-gate', emptyDir: {} }] }] } } }))
      .toThrow('dify.worker.pools[0].extraVolumes: "schema-gate" is not allowed: the pods already have a volume schema-gate of the platform\'s own; give yours another name (in the pods of dify-worker-indexing)');
  });
});
