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

describe('where the daemon installs plugins\' Python packages from', () => {
  const daemonEnv = (props: Parameters<typeof synthPlatform>[0]) => envOf(mainContainer(byKindAndName(synthPlatform(props), 'Deployment', 'dify-plugin-daemon')));

  test.each(['1.15.0', '1.16.1'])('Dify %s (daemon 0.6.3) does not pick a mirror by speed: PyPI, or the PIP_MIRROR_URL a user gives', (version) => {
    expect(daemonEnv({ dify: { version } }).PIP_MIRROR_AUTO_DETECT).toBe('false');
    expect(daemonEnv({ dify: { version, pluginDaemon: { env: [{ name: 'PIP_MIRROR_URL', value: 'https://pypi.example.org/simple' }] } } }))
      .toMatchObject({ PIP_MIRROR_AUTO_DETECT: 'false', PIP_MIRROR_URL: 'https://pypi.example.org/simple' });
  });

  test.each(['1.13.3', '1.14.2'])('Dify %s\'s daemon (0.5.3 to 0.6.1) has no such probe, and is given no variable for it', (version) => {
    expect(daemonEnv({ dify: { version } })).not.toHaveProperty('PIP_MIRROR_AUTO_DETECT');
  });

  test('a user who wants the probe back says so', () => {
    expect(daemonEnv({ dify: { pluginDaemon: { env: [{ name: 'PIP_MIRROR_AUTO_DETECT', value: 'true' }] } } }).PIP_MIRROR_AUTO_DETECT).toBe('true');
  });
});
