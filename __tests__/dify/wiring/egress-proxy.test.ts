/**
 * `dify.egressProxy`: the programs that call the internet for Dify get the corporate proxy and a NO_PROXY that keeps
 * the cluster, the databases and the metadata endpoints off it; the sandboxes never get it (only their SSRF proxy);
 * no NetworkPolicy stands between a program and the proxy; and a user's own proxy variables are refused, pointing here.
 */
import { DifyPlatformProps } from '../../../lib';
import { allPodSpecs } from '../../helpers/dify';
import { Manifest, synthPlatform } from '../../helpers/synth';
import { configProblems } from '../../helpers/configs';

/** The error lines of a config, without the file name. */
const platformIssues = (input: unknown): string[] => configProblems(input).map((line) => line.replace(/^env\.yaml: /, ''));

const PROXY = 'http://proxy.corp.example.com:3128';
const AGENT: DifyPlatformProps = { dify: { agent: { enabled: true }, egressProxy: { httpProxy: PROXY, noProxy: ['.corp.example.com'] } } };

/** Every Dify container's variables, by `app.kubernetes.io/component`. */
function envByComponent(objects: Manifest[]): Map<string, Record<string, string | undefined>> {
  const found = new Map<string, Record<string, string | undefined>>();
  for (const [where, spec] of allPodSpecs(objects)) {
    const object = objects.find((candidate) => `${candidate.kind}/${candidate.metadata.name}` === where)!;
    const component = object.metadata.labels?.['app.kubernetes.io/component'] ?? where;
    const migrate = spec.initContainers?.find((container: { name: string }) => container.name === 'migrate');
    const container = component === 'migration' && migrate ? migrate : spec.containers[0];
    found.set(component, Object.fromEntries((container.env ?? []).map((variable: { name: string; value?: string }) => [variable.name, variable.value])));
  }
  return found;
}

describe('dify.egressProxy', () => {
  const env = envByComponent(synthPlatform(AGENT));

  test('api, worker, beat, the migration Job, the plugin daemon and the agent backend get the proxy for both schemes', () => {
    for (const component of ['api', 'worker', 'beat', 'migration', 'plugin-daemon', 'agent-backend']) {
      expect([component, env.get(component)?.HTTP_PROXY, env.get(component)?.HTTPS_PROXY]).toEqual([component, PROXY, PROXY]);
    }
  });

  test('NO_PROXY holds loopback, the cluster\'s Services, every platform Service, the databases, the metadata endpoints and the extra entries', () => {
    const noProxy = env.get('api')!.NO_PROXY!.split(',');

    expect(noProxy).toEqual(expect.arrayContaining(['localhost', '127.0.0.1', '.svc', '.svc.cluster.local', '169.254.169.254', 'metadata.google.internal',
      'dify-api', 'dify-plugin-daemon', 'dify-sandbox', 'dify-minio', 'dify-agent-backend', '.corp.example.com']));
    // The databases by the host names Dify is given for them.
    for (const name of ['DB_HOST', 'REDIS_HOST']) expect(noProxy).toContain(env.get('api')![name]);
    expect(noProxy).toContain(new URL(env.get('api')!.QDRANT_URL!).hostname);
    expect(new Set(noProxy).size).toBe(noProxy.length);
    expect(env.get('plugin-daemon')!.NO_PROXY).toBe(env.get('api')!.NO_PROXY);
  });

  test('an external database\'s host is in NO_PROXY, and a second proxy serves https', () => {
    const objects = synthPlatform({
      postgresql: { external: { host: 'pg.db.corp.example.com', credentialsSecret: 'pg', sslMode: 'require' } },
      dify: { egressProxy: { httpProxy: PROXY, httpsProxy: 'http://10.8.0.5:8080' } },
    });
    const api = envByComponent(objects).get('api')!;

    expect(api.NO_PROXY!.split(',')).toContain('pg.db.corp.example.com');
    expect([api.HTTP_PROXY, api.HTTPS_PROXY]).toEqual([PROXY, 'http://10.8.0.5:8080']);
  });

  test('the sandboxes keep only their SSRF proxy, and web gets no proxy', () => {
    expect(env.get('sandbox')).toMatchObject({ HTTP_PROXY: 'http://dify-ssrf-proxy:3128', HTTPS_PROXY: 'http://dify-ssrf-proxy:3128' });
    expect(env.get('local-sandbox')).toMatchObject({ HTTP_PROXY: 'http://dify-agent-ssrf-proxy:3128', HTTPS_PROXY: 'http://dify-agent-ssrf-proxy:3128' });
    expect(Object.values(env.get('sandbox')!).concat(Object.values(env.get('local-sandbox')!))).not.toContain(PROXY);
    expect(Object.keys(env.get('web')!).filter((name) => /PROXY/i.test(name))).toEqual([]);
  });

  test('the SSRF proxies send what they let out to the corporate proxy', () => {
    const confs = synthPlatform(AGENT).filter((object) => object.kind === 'ConfigMap' && /ssrf-proxy/.test(object.metadata.name));

    expect(confs).toHaveLength(2);
    for (const conf of confs) {
      expect(conf.data['squid.conf']).toContain('cache_peer proxy.corp.example.com parent 3128 0 no-query no-digest no-netdb-exchange name=egress_proxy');
      expect(conf.data['squid.conf']).toMatch(/^never_direct allow all$/m);
    }
  });

  test('the api\'s SSRF client takes one proxy for every URL, so NO_PROXY never routes a user\'s URL around the SSRF proxy (1.x)', () => {
    expect(env.get('api')!.SSRF_PROXY_ALL_URL).toBe('http://dify-ssrf-proxy:3128');
    expect(env.get('worker')!.SSRF_PROXY_ALL_URL).toBe('http://dify-ssrf-proxy:3128');
    // 0.6.11 reads no such variable: it hands httpx its proxies, which then reads none from the environment.
    const old = envByComponent(synthPlatform({ dify: { version: '0.6.11', storage: { type: 'volume' }, egressProxy: { httpProxy: PROXY } } }));
    expect(old.get('api')!.HTTP_PROXY).toBe(PROXY);
    expect(old.get('api')!.SSRF_PROXY_ALL_URL).toBeUndefined();
  });

  test('without it, no program gets a proxy of the user\'s and the SSRF proxies go direct', () => {
    const objects = synthPlatform({ dify: { agent: { enabled: true } } });
    const plain = envByComponent(objects);

    expect(plain.get('api')!.HTTP_PROXY).toBeUndefined();
    expect(plain.get('api')!.SSRF_PROXY_ALL_URL).toBeUndefined();
    expect(objects.filter((object) => object.kind === 'ConfigMap' && /cache_peer|never_direct/.test(object.data?.['squid.conf'] ?? ''))).toEqual([]);
  });

  test('no NetworkPolicy limits the egress of a program that uses the proxy', () => {
    const objects = synthPlatform(AGENT);
    const users = [...env.entries()].filter(([, variables]) => variables.HTTP_PROXY === PROXY).map(([component]) => component);
    const egressPolicies = objects.filter((object) => object.kind === 'NetworkPolicy' && object.spec.policyTypes.includes('Egress'));
    const limited = egressPolicies.map((policy) => policy.spec.podSelector.matchLabels?.['app.kubernetes.io/component']);

    expect(users.length).toBeGreaterThanOrEqual(6);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited.filter((component) => users.includes(component))).toEqual([]);
  });
});

describe('the refusals around the egress proxy', () => {
  test('a proxy URL with a credential, a path, no port, another scheme or a loopback host is refused in one line', () => {
    const lines = (httpProxy: string) => platformIssues({ dify: { egressProxy: { httpProxy } } });

    expect(lines('http://user:secret@proxy.corp.example.com:3128')).toEqual([expect.stringMatching(
      /^dify\.egressProxy\.httpProxy: "\(hidden\)" is not allowed: holds a credential \(user:password@\).*not supported; let the proxy admit the cluster's egress addresses$/)]);
    for (const url of ['http://proxy.corp.example.com', 'https://proxy.corp.example.com:3128', 'http://proxy.corp.example.com:3128/path', 'http://proxy:99999']) {
      expect(lines(url)).toEqual([`dify.egressProxy.httpProxy: "${url}" is not allowed: must be the proxy's http:// URL with its port, such as http://proxy.corp.example.com:3128 (no path)`]);
    }
    expect(lines('http://127.0.0.1:3128')[0]).toMatch(/must be a proxy the pods reach: loopback is the pod itself/);
    expect(platformIssues({ dify: { egressProxy: { httpProxy: PROXY, noProxy: ['*'] } } })).toEqual([
      'dify.egressProxy.noProxy[0]: "*" is not allowed: must not be *, which would send nothing through the proxy: remove dify.egressProxy instead']);
  });

  test('a user\'s own proxy variable, in either case, is refused with a pointer to dify.egressProxy, on both tiers', () => {
    const pointer = 'to change it use dify.egressProxy (the sandboxes always go through their SSRF proxy, which takes the egress proxy as its upstream)';

    expect(platformIssues({ dify: { backendEnv: [{ name: 'HTTPS_PROXY', value: PROXY }] } })).toEqual([
      `dify.backendEnv[0].name: "HTTPS_PROXY" is not allowed: the platform sets HTTPS_PROXY; ${pointer}`]);
    expect(platformIssues({ dify: { pluginDaemon: { env: [{ name: 'no_proxy', value: '*' }] } } })).toEqual([
      `dify.pluginDaemon.env[0].name: "no_proxy" is not allowed: the platform sets no_proxy; ${pointer}`]);
    expect(platformIssues({ dify: { version: '1.13.3', chart: { path: 'charts/dify', values: { global: { extraBackendEnvs: [{ name: 'HTTP_PROXY', value: PROXY }] } } } } })).toEqual([
      `dify.chart.values.global.extraBackendEnvs[0].name: "HTTP_PROXY" is not allowed: the platform sets HTTP_PROXY; ${pointer}`]);
  });
});
