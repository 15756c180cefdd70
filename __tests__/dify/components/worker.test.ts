import { synthPlatform } from '../../helpers/synth';
import { DifyPlatformProps, difyFeatures } from '../../../lib';

function workerEnv(props: DifyPlatformProps) {
  const worker = synthPlatform(props).find((object) => object.kind === 'Deployment' && object.metadata.name === 'dify-worker')!;
  return worker.spec.template.spec.containers[0].env as { name: string; value?: string }[];
}

describe('the Celery worker', () => {
  test.each(['0.6.11', '1.16.1'])('runs four tasks at once by default, as Dify\'s compose file does, not the entrypoint\'s one (Dify %s)', (version) => {
    expect(workerEnv({ dify: { version } })).toContainEqual({ name: 'CELERY_WORKER_AMOUNT', value: '4' });
  });

  test('dify.worker.concurrency sets it, and it is given once', () => {
    const env = workerEnv({ dify: { worker: { concurrency: 12 } } });
    expect(env.filter((variable) => variable.name === 'CELERY_WORKER_AMOUNT')).toEqual([{ name: 'CELERY_WORKER_AMOUNT', value: '12' }]);
  });

  test.each([
    ['1.16.1', ['workflow_draft_var', 'monitor']],
    ['1.13.3', ['trigger_refresh_publisher', 'workflow_draft_var']],
  ])('consumes every queue Dify %s sends tasks to, the ones its entrypoint\'s default list omits too', (version, omitted) => {
    const queues = workerEnv({ dify: { version } }).find((variable) => variable.name === 'CELERY_QUEUES')?.value?.split(',');
    expect(queues).toEqual(expect.arrayContaining(omitted));
    expect(queues).toEqual([...difyFeatures(version).workerQueues]);
  });

  test('a CELERY_QUEUES of dify.backendEnv wins, and is given once', () => {
    const env = workerEnv({ dify: { backendEnv: [{ name: 'CELERY_QUEUES', value: 'dataset,mail,custom' }] } });
    expect(env.filter((variable) => variable.name === 'CELERY_QUEUES')).toEqual([{ name: 'CELERY_QUEUES', value: 'dataset,mail,custom' }]);
  });
});
