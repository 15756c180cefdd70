import { DifyPlatformProps } from '../../../lib';
import { synthPlatform } from '../../helpers/synth';

function apiEnv(props: DifyPlatformProps, deployment = 'dify-api'): Record<string, string | undefined> {
  const api = synthPlatform(props).find((object) => object.kind === 'Deployment' && object.metadata.name === deployment)!;
  return Object.fromEntries(api.spec.template.spec.containers[0].env.map((variable: { name: string; value?: string }) => [variable.name, variable.value]));
}

describe('the console\'s CORS origins', () => {
  test('are the public URL alone on one host', () => {
    expect(apiEnv({ dify: { host: 'ai.example.org', tls: { enabled: true, secretName: 'ai-tls' } } }).CONSOLE_CORS_ALLOW_ORIGINS).toBe('https://ai.example.org');
  });

  test('are every host the Ingress and the HTTPRoute serve, so a console opened at any of them can call its API', () => {
    const env = apiEnv({ dify: {
      host: 'ai.example.org', tls: { enabled: true, secretName: 'ai-tls' }, ingress: { extraHosts: ['dify.example.org'] },
      gateway: { parentRefs: [{ name: 'public' }], hostnames: ['ai.example.org', 'chat.example.org'] },
    } });
    expect(env.CONSOLE_CORS_ALLOW_ORIGINS).toBe('https://ai.example.org,https://dify.example.org,https://chat.example.org');
    // The public URLs themselves keep dify.host.
    expect(env.CONSOLE_WEB_URL).toBe('https://ai.example.org');
  });

  test('reach the collaboration websocket too: socket.io takes its allowed origins from the same setting (api/extensions/ext_socketio.py, 1.16.1)', () => {
    const props: DifyPlatformProps = { dify: { version: '1.16.1', host: 'ai.example.org', ingress: { extraHosts: ['dify.example.org'] }, collaboration: { enabled: true } } };
    expect(apiEnv(props, 'dify-api-websocket').CONSOLE_CORS_ALLOW_ORIGINS).toBe('http://ai.example.org,http://dify.example.org');
  });
});
