/**
 * The optional services of current Dify: workflow collaboration (the websocket api, 1.14.1+) and Agent v2 (1.16+).
 * Off by default; when on, each must run, be routed and be wired consistently on every side.
 */
import { DifyPlatformProps } from '../../lib';
import { byKindAndName, envOf, mainContainer, podSpec } from '../helpers/dify';
import { Manifest, synthPlatform } from '../helpers/synth';

const deployment = (objects: Manifest[], name: string) => byKindAndName(objects, 'Deployment', name);
const envOfDeployment = (objects: Manifest[], name: string) => envOf(mainContainer(deployment(objects, name)));
const routes = (objects: Manifest[]) => byKindAndName(objects, 'Ingress', 'dify-ingress').spec.rules[0].http.paths
  .map((p: any) => `${p.path} ${p.backend.service.name}:${p.backend.service.port.number}`);

describe('by default', () => {
  const objects = synthPlatform();

  test('neither optional service runs, and the api is told collaboration is off (its own default is on)', () => {
    expect(objects.filter((o) => /websocket|agent|local-sandbox/.test(o.metadata.name))).toEqual([]);
    for (const name of ['dify-api', 'dify-worker', 'dify-beat']) expect(envOfDeployment(objects, name).ENABLE_COLLABORATION_MODE).toBe('false');
    expect(envOfDeployment(objects, 'dify-web')).toMatchObject({ NEXT_PUBLIC_ENABLE_AGENT_V2: 'false' });
    expect(envOfDeployment(objects, 'dify-web').NEXT_PUBLIC_SOCKET_URL).toBeUndefined();
    expect(routes(objects).some((route: string) => route.startsWith('/socket.io/'))).toBe(false);
  });
});

describe('workflow collaboration', () => {
  const props: DifyPlatformProps = { dify: { collaboration: { enabled: true }, tls: { enabled: true, secretName: 'tls' } } };
  const objects = synthPlatform(props);

  test('runs the api image with the websocket worker, in api mode, behind its own Service', () => {
    const container = mainContainer(deployment(objects, 'dify-api-websocket'));

    expect(container.image).toBe('langgenius/dify-api:1.16.1');
    expect(envOf(container)).toMatchObject({
      MODE: 'api', MIGRATION_ENABLED: 'false', SERVER_WORKER_CLASS: 'geventwebsocket.gunicorn.workers.GeventWebSocketWorker',
      SERVER_WORKER_AMOUNT: '1', ENABLE_COLLABORATION_MODE: 'true', DB_HOST: envOfDeployment(objects, 'dify-api').DB_HOST,
    });
    expect(byKindAndName(objects, 'Service', 'dify-api-websocket').spec.ports[0].port).toBe(5001);
  });

  test('/socket.io/ goes to it, and the rest of the api stays on the api', () => {
    expect(routes(objects)).toEqual(expect.arrayContaining(['/socket.io/ dify-api-websocket:5001', '/console/api dify-api:5001']));
  });

  test('api, worker and web agree that collaboration is on, and web knows the socket URL of the public host', () => {
    for (const name of ['dify-api', 'dify-worker']) expect(envOfDeployment(objects, name).ENABLE_COLLABORATION_MODE).toBe('true');
    expect(envOfDeployment(objects, 'dify-web').NEXT_PUBLIC_SOCKET_URL).toBe('wss://dify.example.com');
    // 1.15's web reads the switch itself.
    expect(envOfDeployment(synthPlatform({ dify: { version: '1.15.0', collaboration: { enabled: true } } }), 'dify-web').ENABLE_COLLABORATION_MODE).toBe('true');
  });

  test('is refused on versions without the websocket service', () => {
    expect(() => synthPlatform({ dify: { version: '1.14.0', collaboration: { enabled: true } } }))
      .toThrow('dify.collaboration.enabled: true is not allowed: Dify 1.14.0 has no websocket service for collaboration; it came with 1.14.1');
  });
});

describe('Agent v2', () => {
  const objects = synthPlatform({ dify: { agent: { enabled: true } } });
  const backend = envOfDeployment(objects, 'dify-agent-backend');
  const sandbox = envOfDeployment(objects, 'dify-local-sandbox');

  test('runs the agent backend, its local sandbox and the sandbox\'s own proxy, on the version\'s images', () => {
    expect(mainContainer(deployment(objects, 'dify-agent-backend')).image).toBe('langgenius/dify-agent-backend:1.16.1');
    expect(mainContainer(deployment(objects, 'dify-local-sandbox')).image).toBe('langgenius/dify-agent-local-sandbox:1.16.1');
    expect(Object.keys(mainContainer(deployment(objects, 'dify-agent-backend')).readinessProbe)).toContain('tcpSocket');
    expect(mainContainer(deployment(objects, 'dify-local-sandbox')).readinessProbe.httpGet).toMatchObject({ path: '/healthz', port: 5004 });
    expect(byKindAndName(objects, 'Service', 'dify-agent-ssrf-proxy').spec.ports[0].port).toBe(3128);
  });

  test('every token is shared through the app Secret, each pair on both sides', () => {
    const api = envOfDeployment(objects, 'dify-api');
    const daemon = envOfDeployment(objects, 'dify-plugin-daemon');

    expect(backend.DIFY_AGENT_API_TOKEN).toBe('secret:dify-app-secrets/AGENT_API_TOKEN');
    expect(api.AGENT_BACKEND_API_TOKEN).toBe(backend.DIFY_AGENT_API_TOKEN);
    expect(backend.DIFY_AGENT_INNER_API_KEY).toBe(api.INNER_API_KEY_FOR_PLUGIN);
    expect(backend.DIFY_AGENT_PLUGIN_DAEMON_API_KEY).toBe(daemon.SERVER_KEY);
    expect(backend.DIFY_AGENT_SHELLCTL_AUTH_TOKEN).toBe(sandbox.SHELLCTL_AUTH_TOKEN);
    expect(backend.DIFY_AGENT_SERVER_SECRET_KEY).toBe('secret:dify-app-secrets/AGENT_SERVER_SECRET_KEY');
  });

  test('the services find each other, and the backend keeps its runs in Redis database 2 of the platform\'s Redis', () => {
    const api = envOfDeployment(objects, 'dify-api');

    expect(api.AGENT_BACKEND_BASE_URL).toBe('http://dify-agent-backend:5050');
    expect(backend).toMatchObject({
      DIFY_AGENT_SHELLCTL_ENTRYPOINT: 'http://dify-local-sandbox:5004', DIFY_AGENT_INNER_API_URL: 'http://dify-api:5001',
      DIFY_AGENT_PLUGIN_DAEMON_URL: 'http://dify-plugin-daemon:5002', DIFY_AGENT_STUB_API_BASE_URL: 'http://dify-agent-backend:5050/agent-stub',
      DIFY_AGENT_REDIS_URL: `redis://$(REDIS_USERNAME):$(REDIS_PASSWORD)@${api.REDIS_HOST}:6379/2`,
      REDIS_PASSWORD: api.REDIS_PASSWORD,
    });
    // $(VAR) is expanded only from variables defined before it.
    const names = mainContainer(deployment(objects, 'dify-agent-backend')).env.map((v: any) => v.name);
    expect(names.indexOf('REDIS_PASSWORD')).toBeLessThan(names.indexOf('DIFY_AGENT_REDIS_URL'));
  });

  test('the local sandbox goes out only through the agent proxy, keeps its state on a scratch volume, and web shows Agent v2', () => {
    const spec = podSpec(deployment(objects, 'dify-local-sandbox'));

    expect(sandbox).toMatchObject({ HTTP_PROXY: 'http://dify-agent-ssrf-proxy:3128', HTTPS_PROXY: 'http://dify-agent-ssrf-proxy:3128' });
    expect(spec.containers[0].volumeMounts).toEqual([{ name: 'state', mountPath: '/home' }]);
    expect(spec.volumes).toEqual([{ name: 'state', emptyDir: { sizeLimit: '10Gi' } }]);
    expect(envOfDeployment(objects, 'dify-web').NEXT_PUBLIC_ENABLE_AGENT_V2).toBe('true');
  });

  test('the agent proxy lets the sandbox reach the agent backend\'s stub API and the api\'s files, named as their Services', () => {
    const conf = byKindAndName(objects, 'ConfigMap', /^dify-agent-ssrf-proxy-/).data['squid.conf'];

    expect(conf).toContain('acl to_agent_backend dstdomain dify-agent-backend\n');
    expect(conf).toContain('acl to_api dstdomain dify-api\n');
    expect(conf).not.toContain('{{');
  });

  test('is refused on versions without it', () => {
    expect(() => synthPlatform({ dify: { version: '1.15.0', agent: { enabled: true } } }))
      .toThrow('dify.agent.enabled: true is not allowed: Dify 1.15.0 has no Agent v2; it came with 1.16');
  });
});
