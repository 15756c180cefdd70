import { compareVersions, difyFeatures } from '../../lib';

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

  test('an unsupported version is refused', () => {
    expect(() => difyFeatures('1.2.3')).toThrow('Dify 1.2.3 is not supported (supported: 0.6.11, 1.13.3, 1.14.0, 1.14.1, 1.14.2, 1.15.0, 1.16.1)');
  });

  test('versions compare numerically, not as text', () => {
    expect(compareVersions('1.10.0', '1.9.9')).toBe(1);
    expect(compareVersions('0.6.11', '1.0.0')).toBe(-1);
    expect(compareVersions('1.7.0', '1.7')).toBe(0);
  });
});
