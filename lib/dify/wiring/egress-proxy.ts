/**
 * The corporate egress proxy (`dify.egressProxy`) as each program takes it. Programs that call the internet on Dify's
 * behalf get it from their environment; the SSRF proxies get it as their squid parent, so the sandboxes, which know
 * only their SSRF proxy, reach the internet through both and never around the first.
 *
 * How the programs read the variables (checked in their source, docs/verified-facts.md):
 * - api, worker, beat (Python): httpx 0.28.1 and requests read HTTP_PROXY, HTTPS_PROXY and NO_PROXY in either case.
 *   httpx matches a NO_PROXY entry `.svc` to `x.svc` only (not `x.svc.cluster.local`) and takes no CIDR ranges,
 *   so every host is listed by name.
 * - plugin daemon (Go, dify-plugin-daemon 0.5.3 to 0.6.3): `internal/types/app/config.go` reads HTTP_PROXY,
 *   HTTPS_PROXY and NO_PROXY, and hands exactly those to the `uv` that installs each plugin's packages
 *   (`setup_python_environment.go`, a command with no other environment) and to each plugin's process
 *   (`subprocess.go`); its Go clients on the default transport follow them too (loopback is never proxied there).
 * - agent backend (Dify 1.16.1 `dify-agent`, httpx 0.28.1): its clients of Dify's own services pass
 *   `trust_env=False`; the rest read the environment as the api does.
 */
import * as k8s from '../../k8s';
import { env } from '../components/workload';
import { DifyContext } from '../dify-context';
import { EgressProxySettings } from '../egress-proxy-settings';
import { DIFY_SERVICES, serviceName } from './services';

/**
 * Never sent to the proxy: loopback; the cluster's Service names in the forms pods use (the default cluster domain;
 * another one goes in noProxy); the cloud metadata and pod-identity endpoints, so that instance-role and workload
 * identity tokens (AWS IMDS 169.254.169.254 and EKS Pod Identity 169.254.170.23, GKE metadata.google.internal)
 * are fetched from the node, never from a proxy that would answer with its own.
 */
const ALWAYS_DIRECT = ['localhost', '127.0.0.1', '::1', '.svc', '.svc.cluster.local', '169.254.169.254', '169.254.170.23', 'metadata.google.internal'];

/** `host` of a `host:port` or of a URL. */
function hostOf(address: string): string {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(address) ? new URL(address).hostname.replace(/^\[|\]$/g, '') : address.replace(/:\d+$/, '');
}

/**
 * What NO_PROXY holds: loopback, the cluster's Services, the metadata endpoints, every Service of the platform by
 * the short name its URLs use, the databases (external ones too: they are reached without the proxy, as before it
 * was set) and the user's extra entries, each once. Object stores are not in it: S3 and the like are often on the
 * internet behind the proxy; an in-cluster or private one goes in noProxy.
 */
export function noProxyList(ctx: DifyContext, settings: EgressProxySettings): string[] {
  const store = ctx.vectorStore;
  const sentinel = ctx.config.redisMode === 'sentinel' ? ctx.redis.sentinel : undefined;
  const data = [
    ctx.postgresql.host, ctx.redis.host, ...(sentinel ? [sentinel.serviceHost, ...sentinel.endpoints.map(hostOf)] : []),
    ...(store.store === 'qdrant' ? [store.qdrant.host] : store.store === 'milvus' ? [store.milvus.host] : [store.postgresql.host]),
  ];
  return [...new Set([...ALWAYS_DIRECT, ...DIFY_SERVICES.map(serviceName), ...data, ...(settings.noProxy ?? [])])];
}

/** The proxy variables of a program that calls the internet for Dify: none without `dify.egressProxy`. */
export function egressProxyEnv(ctx: DifyContext): k8s.EnvVar[] {
  const settings = ctx.config.settings.egressProxy;
  if (!settings) return [];
  return [
    env('HTTP_PROXY', settings.httpProxy),
    env('HTTPS_PROXY', settings.httpsProxy ?? settings.httpProxy),
    env('NO_PROXY', noProxyList(ctx, settings).join(',')),
  ];
}

/** `host` and `port` of a proxy URL the config has checked (`http://host:port`). */
function peerOf(url: string): { host: string; port: string } {
  const parsed = new URL(url);
  return { host: parsed.hostname.replace(/^\[|\]$/g, ''), port: parsed.port || '80' };
}

/**
 * The squid lines that make the egress proxy the SSRF proxy's parent: everything squid lets out goes to it
 * (`never_direct`), CONNECT tunnels included, except the destinations of `directAcls`, which are in the cluster or
 * the private networks it may reach. With no egress proxy, nothing: squid goes direct, as before.
 */
export function squidUpstream(settings: EgressProxySettings | undefined, directAcls: readonly string[]): string {
  if (!settings) return '';
  const http = peerOf(settings.httpProxy);
  const https = peerOf(settings.httpsProxy ?? settings.httpProxy);
  const peer = (name: string, { host, port }: { host: string; port: string }) =>
    `cache_peer ${host} parent ${port} 0 no-query no-digest no-netdb-exchange name=${name}`;
  const same = http.host === https.host && http.port === https.port;
  const lines = same ? [peer('egress_proxy', http)] : [
    peer('egress_http', http), 'cache_peer_access egress_http deny CONNECT',
    peer('egress_https', https), 'cache_peer_access egress_https allow CONNECT', 'cache_peer_access egress_https deny all',
  ];
  return [
    '# dify.egressProxy: what this proxy lets out goes through the corporate proxy, never straight to the internet.',
    ...lines, ...directAcls.map((acl) => `always_direct allow ${acl}`), 'never_direct allow all',
  ].map((line) => `${line}\n`).join('');
}
