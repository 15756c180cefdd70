import { synthPlatform } from '../../helpers/synth';

describe('the web component', () => {
  test.each(['0.6.11', '1.13.3', '1.16.1'])('listens on every address of its pod (Dify %s), so port-forward and the Service both reach it', (version) => {
    const web = synthPlatform({ dify: { version } }).find((object) => object.kind === 'Deployment' && object.metadata.name === 'dify-web')!;
    const container = web.spec.template.spec.containers[0];

    expect(container.env).toContainEqual({ name: 'HOSTNAME', value: '0.0.0.0' });
  });
});

describe('what compose sets where it changes behaviour', () => {
  test.each([['1.16.1', true], ['1.15.0', false]])('Dify %s: REDIS_KEEPALIVE on the api image wherever that version reads it (%s)', (version, reads) => {
    const objects = synthPlatform({ dify: { version } });
    for (const name of ['dify-api', 'dify-worker', 'dify-beat']) {
      const container = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === name)!.spec.template.spec.containers[0];
      const keepalive = container.env.find((variable: { name: string }) => variable.name === 'REDIS_KEEPALIVE');
      expect([name, keepalive]).toEqual([name, reads ? { name: 'REDIS_KEEPALIVE', value: 'true' } : undefined]);
    }
    // The plugin daemon shares the Redis variables but reads no keepalive setting.
    const daemon = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === 'dify-plugin-daemon')!.spec.template.spec.containers[0];
    expect(daemon.env.map((variable: { name: string }) => variable.name)).not.toContain('REDIS_KEEPALIVE');
  });

  test('the console shows plugin developers the daemon\'s debug port, which port-forward reaches on localhost', () => {
    const objects = synthPlatform({ dify: { version: '1.16.1' } });
    const api = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === 'dify-api')!.spec.template.spec.containers[0];
    const daemon = objects.find((object) => object.kind === 'Service' && object.metadata.name === 'dify-plugin-daemon')!;

    expect(api.env).toEqual(expect.arrayContaining([{ name: 'PLUGIN_REMOTE_INSTALL_HOST', value: 'localhost' }, { name: 'PLUGIN_REMOTE_INSTALL_PORT', value: '5003' }]));
    expect(daemon.spec.ports).toContainEqual(expect.objectContaining({ name: 'debug', port: 5003 }));
  });
});
