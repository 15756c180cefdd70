import { compareVersions, DIFY_RELEASES, difyFeatures } from '../../lib';

describe('difyFeatures', () => {
  test('the seed version 0.6.11 has no plugin daemon, no beat, no Sentinel, and migrates by command', () => {
    const features = difyFeatures('0.6.11');

    expect(features).toMatchObject({
      beat: false, migration: { kind: 'command', command: ['flask', 'db', 'upgrade'] }, dbTypeVariable: false, volumeStorageType: 'local',
      triggers: false, sentinel: false, sandboxHealth: { kind: 'tcp' }, pluginPackageSizeVariable: false, qdrantReplicationFactorVariable: false,
    });
    expect(features.pluginDaemonTag).toBeUndefined();
    expect(features.routes.map((route) => route.path)).toEqual(['/console/api', '/api', '/v1', '/files', '/']);
  });

  test('1.13.3 adds the plugin daemon, beat, a migration Job and the newer routes', () => {
    const features = difyFeatures('1.13.3');

    expect(features).toMatchObject({
      sandboxTag: '0.2.14', pluginDaemonTag: '0.5.3-local', beat: true, migration: { kind: 'mode' }, triggers: true, sentinel: true,
      sandboxHealth: { kind: 'http', path: '/health' }, pluginPackageSizeVariable: true, qdrantReplicationFactorVariable: true,
    });
    expect(features.routes).toEqual([
      { path: '/console/api', target: 'api' }, { path: '/api', target: 'api' }, { path: '/v1', target: 'api' },
      { path: '/files', target: 'api' }, { path: '/mcp', target: 'api' }, { path: '/triggers', target: 'api' },
      { path: '/e/', target: 'pluginDaemon' }, { path: '/', target: 'web' },
    ]);
  });

  // Queues named by tasks in each version's api/ (features.ts says where); the entrypoint's default list lacks these.
  test.each([
    ['1.13.3', ['monitor', 'workflow_draft_var', 'trigger_refresh_publisher']],
    ['1.14.2', ['monitor', 'workflow_draft_var', 'enterprise_telemetry']],
    ['1.16.1', ['monitor', 'workflow_draft_var', 'enterprise_telemetry', 'workflow_archive', 'app_rbac']],
  ])('the worker of %s consumes the queues its tasks are sent to that the entrypoint\'s default omits', (version, queues) => {
    expect(difyFeatures(version).workerQueues).toEqual(expect.arrayContaining([...queues, 'dataset', 'mail', 'workflow', 'schedule_executor']));
  });

  test('no worker list names a queue twice, nor the cloud edition\'s workflow tiers, which the community edition never sends to', () => {
    for (const version of Object.keys(DIFY_RELEASES)) {
      const queues = difyFeatures(version).workerQueues;
      expect(new Set(queues).size).toBe(queues.length);
      expect(queues.filter((queue) => /^workflow_(professional|team|sandbox)$/.test(queue))).toEqual([]);
    }
    expect(difyFeatures('0.6.11').workerQueues).toEqual(['dataset', 'mail']);
  });

  test('the one-off data migrations come with 1.15: the plugin backfill after the daemon, the model-type rewrite after the schema', () => {
    expect(difyFeatures('1.14.2').dataMigrations).toEqual([]);
    for (const version of ['1.15.0', '1.16.1']) {
      expect(difyFeatures(version).dataMigrations).toEqual([
        { job: 'plugin-backfill', args: ['backfill-plugin-auto-upgrade'], after: 'pluginDaemon' },
        { job: 'data-migrate', args: ['data-migrate', 'legacy-model-types', '--apply', '--concurrency', '2'], after: 'schema' },
      ]);
    }
  });

  test('an unsupported version is refused', () => {
    expect(() => difyFeatures('1.2.3')).toThrow('Dify 1.2.3 is not supported (supported: 0.6.11, 1.13.3, 1.14.0, 1.14.1, 1.14.2, 1.15.0, 1.16.1)');
  });

  test('versions compare numerically, not as text', () => {
    expect(compareVersions('1.10.0', '1.9.9')).toBe(1);
    expect(compareVersions('0.6.11', '1.0.0')).toBe(-1);
    expect(compareVersions('1.7.0', '1.7')).toBe(0);
  });
});
