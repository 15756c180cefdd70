import { mergeValues, valueAt } from '../../../lib/dify/chart/chart-values';

describe('the chart values: the user\'s over the platform\'s', () => {
  const platform = {
    global: { host: 'dify.example.com', extraBackendEnvs: [{ name: 'DB_HOST', value: 'pg' }] },
    api: { image: { repository: 'langgenius/dify-api', tag: '1.13.3' } },
    volumes: [{ name: 'storage' }],
  };

  test('mappings merge key by key, and what the user gives of anything else replaces the platform\'s', () => {
    const merged = mergeValues(platform, { api: { replicaCount: 2, envs: [{ name: 'A', value: '1' }] }, global: { labels: { team: 'ai' } } });
    expect(merged.api).toEqual({ image: platform.api.image, replicaCount: 2, envs: [{ name: 'A', value: '1' }] });
    expect(valueAt(merged, 'global.labels.team')).toBe('ai');
    expect(valueAt(merged, 'global.host')).toBe('dify.example.com');
  });

  test('the backend env and the volumes are joined: the user adds to the platform\'s, never replaces its wiring', () => {
    const merged = mergeValues(platform, { global: { extraBackendEnvs: [{ name: 'LOG_LEVEL', value: 'DEBUG' }] }, volumes: [{ name: 'ca' }] });
    expect(valueAt(merged, 'global.extraBackendEnvs')).toEqual([{ name: 'DB_HOST', value: 'pg' }, { name: 'LOG_LEVEL', value: 'DEBUG' }]);
    expect(merged.volumes).toEqual([{ name: 'storage' }, { name: 'ca' }]);
  });

  test('the platform\'s values are not changed by a merge', () => {
    const before = structuredClone(platform);
    mergeValues(platform, { global: { host: 'x' }, api: { image: { tag: 'y' } } });
    expect(platform).toEqual(before);
  });
});
