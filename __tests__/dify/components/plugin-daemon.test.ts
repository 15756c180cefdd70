import { byKindAndName, envOf, mainContainer, podSpec } from '../../helpers/dify';
import { synthPlatform } from '../../helpers/synth';

describe('the plugin daemon', () => {
  const daemon = byKindAndName(synthPlatform(), 'Deployment', 'dify-plugin-daemon');

  test('keeps installed plugins on its volume and its working directory with the pod', () => {
    expect(envOf(mainContainer(daemon))).toMatchObject({ PLUGIN_STORAGE_LOCAL_ROOT: '/app/storage', PLUGIN_WORKING_PATH: '/app/cwd' });
    expect(mainContainer(daemon).volumeMounts).toEqual([{ name: 'storage', mountPath: '/app/storage' }, { name: 'cwd', mountPath: '/app/cwd' }]);
    expect(podSpec(daemon).volumes).toEqual([
      { name: 'storage', persistentVolumeClaim: { claimName: 'dify-plugin-storage' } }, { name: 'cwd', emptyDir: {} },
    ]);
  });
});
