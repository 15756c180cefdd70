/** Dify's one-off data migrations: one Job each per version, after the schema or after the plugin daemon. */
import { byKindAndName, envOf, mainContainer, podSpec } from '../../helpers/dify';
import { synthPlatform } from '../../helpers/synth';

describe('the 1.15 plugin auto-upgrade backfill', () => {
  test('runs once per version from 1.15 on, in job mode, after the workloads, waiting for the plugin daemon', () => {
    const job = byKindAndName(synthPlatform(), 'Job', /^dify-plugin-backfill-1-16-1-[0-9a-f]{8}$/);

    expect(mainContainer(job).args).toEqual(['backfill-plugin-auto-upgrade']);
    expect(envOf(mainContainer(job))).toMatchObject({ MODE: 'job', MIGRATION_ENABLED: 'false' });
    expect(job.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBe('4');
    expect(podSpec(job).initContainers.map((c: any) => c.name)).toEqual(['wait-for-database', 'wait-for-plugin-daemon']);
    expect(synthPlatform({ dify: { version: '1.14.2' } }).some((o) => o.metadata.name.startsWith('dify-plugin-backfill'))).toBe(false);
  });

  test('is given the api\'s resources, as the command loads the whole api application', () => {
    const objects = synthPlatform({ dify: { api: { resources: { requests: { cpu: '500m', memory: '1Gi' }, limits: { cpu: '2', memory: '3Gi' } } } } });
    const job = byKindAndName(objects, 'Job', /^dify-plugin-backfill-1-16-1-/);
    const api = byKindAndName(objects, 'Deployment', 'dify-api');

    expect(mainContainer(job).resources).toEqual(mainContainer(api).resources);
    expect(mainContainer(job).resources.limits.memory).toBe('3Gi');
  });
});

describe('the legacy model-type migration (1.15)', () => {
  test.each(['1.15.0', '1.16.1'])('Dify %s applies it once, in job mode, in the migration\'s wave, once the schema is the version\'s', (version) => {
    const objects = synthPlatform({ dify: { version } });
    const job = byKindAndName(objects, 'Job', new RegExp(`^dify-data-migrate-${version.replace(/\./g, '-')}-[0-9a-f]{8}$`));

    expect(mainContainer(job).args).toEqual(['data-migrate', 'legacy-model-types', '--apply', '--concurrency', '2']);
    expect(envOf(mainContainer(job))).toMatchObject({ MODE: 'job', MIGRATION_ENABLED: 'false' });
    // The databases' variables, as the migration has them.
    expect(Object.keys(envOf(mainContainer(job)))).toEqual(expect.arrayContaining(['DB_HOST', 'REDIS_HOST', 'REDIS_PASSWORD', 'CELERY_BROKER_URL']));
    expect(job.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBe('2');
    expect(job.metadata.labels?.['app.kubernetes.io/component']).toBe('migration');
    expect(podSpec(job).initContainers.map((c: any) => c.name)).toEqual(['schema-head', 'wait-for-schema']);
    expect(mainContainer(job).resources).toEqual(mainContainer(byKindAndName(objects, 'Deployment', 'dify-api')).resources);
  });

  test('versions before 1.15 have no such command and no Job', () => {
    for (const version of ['0.6.11', '1.13.3', '1.14.2']) {
      expect(synthPlatform({ dify: { version } }).some((o) => o.metadata.name.startsWith('dify-data-migrate'))).toBe(false);
    }
  });
});
