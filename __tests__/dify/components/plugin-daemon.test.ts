import { byKindAndName, envOf, mainContainer, podSpec } from '../../helpers/dify';
import { synthPlatform } from '../../helpers/synth';

describe('the plugin daemon', () => {
  const daemon = byKindAndName(synthPlatform(), 'Deployment', 'dify-plugin-daemon');

  test('keeps installed plugins on its volume and its working directory with the pod', () => {
    expect(envOf(mainContainer(daemon))).toMatchObject({ PLUGIN_STORAGE_LOCAL_ROOT: '/app/storage', PLUGIN_WORKING_PATH: '/app/storage/cwd' });
    // The working path is on the volume, as in Dify's compose file: a restart keeps the unpacked plugins and their environments.
    expect(mainContainer(daemon).volumeMounts).toEqual([{ name: 'storage', mountPath: '/app/storage' }]);
    expect(podSpec(daemon).volumes).toEqual([
      { name: 'storage', persistentVolumeClaim: { claimName: 'dify-plugin-storage' } },
    ]);
  });
});
