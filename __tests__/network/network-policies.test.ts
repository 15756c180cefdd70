/**
 * Network isolation, proved from the synthesized NetworkPolicies alone: an evaluator of Kubernetes' NetworkPolicy
 * semantics computes which pod can reach which port, over a model of every pod (Dify's, each database pod with the
 * labels KubeBlocks gives it, a backup pod, the operator, the ingress controller, strangers), and the result must
 * equal the intended matrix, written here independently of the code that makes the policies.
 */
import { DifyPlatformProps } from '../../lib';
import { Manifest, synthPlatform } from '../helpers/synth';

interface Pod { readonly name: string; readonly namespace: string; readonly labels: Record<string, string>; readonly ports: readonly number[] }

const NS = 'dify';

function matches(selector: any, labels: Record<string, string>): boolean {
  if (!selector) return true;
  const byLabels = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  // A LabelSelector's four operators; NotIn also holds for a pod without the key.
  const holds: Record<string, (e: any) => boolean> = {
    In: (e) => e.key in labels && e.values.includes(labels[e.key]),
    NotIn: (e) => !(e.key in labels) || !e.values.includes(labels[e.key]),
    Exists: (e) => e.key in labels,
    DoesNotExist: (e) => !(e.key in labels),
  };
  const byExpressions = (selector.matchExpressions ?? []).every((e: any) => holds[e.operator](e));
  return byLabels && byExpressions;
}

function peerMatches(peer: any, policyNamespace: string, pod: Pod): boolean {
  const namespaceOk = peer.namespaceSelector ? matches(peer.namespaceSelector, { 'kubernetes.io/metadata.name': pod.namespace }) : pod.namespace === policyNamespace;
  return namespaceOk && (peer.podSelector ? matches(peer.podSelector, pod.labels) : true);
}

const portMatches = (ports: any[] | undefined, port: number) => !ports || ports.some((p) => p.port === port);

/** Whether `src` can open a TCP connection to `dst` on `port` under `policies`. */
function reachable(policies: Manifest[], src: Pod, dst: Pod, port: number): boolean {
  const selecting = (pod: Pod, type: string) => policies.filter((p) => p.metadata.namespace === pod.namespace
    && p.spec.policyTypes.includes(type) && matches(p.spec.podSelector, pod.labels));
  const ingress = selecting(dst, 'Ingress');
  const egress = selecting(src, 'Egress');
  const inOk = ingress.length === 0 || ingress.some((p) => (p.spec.ingress ?? []).some((rule: any) =>
    (!rule.from || rule.from.some((peer: any) => peerMatches(peer, p.metadata.namespace!, src))) && portMatches(rule.ports, port)));
  const outOk = egress.length === 0 || egress.some((p) => (p.spec.egress ?? []).some((rule: any) =>
    (!rule.to || rule.to.some((peer: any) => peerMatches(peer, p.metadata.namespace!, dst))) && portMatches(rule.ports, port)));
  return inOk && outOk;
}

/** What the API server labels a Job's pods with: the Job's name (legacy and, since Kubernetes 1.27, prefixed) and its uid. */
const jobPod = (job: string) => ({ 'job-name': job, 'batch.kubernetes.io/job-name': job, 'controller-uid': `uid-${job}`, 'batch.kubernetes.io/controller-uid': `uid-${job}` });
const KB = (instance: string, component: string) => ({ 'app.kubernetes.io/instance': instance, 'apps.kubeblocks.io/component-name': component, 'app.kubernetes.io/managed-by': 'kubeblocks' });
const DIFY_PORTS: Record<string, number[]> = {
  api: [5001], 'api-websocket': [5001], web: [3000], 'plugin-daemon': [5002, 5003], sandbox: [8194], 'ssrf-proxy': [3128], minio: [9000],
  'agent-backend': [5050], 'local-sandbox': [5004], 'agent-ssrf-proxy': [3128],
};

function podsOf(objects: Manifest[]): Pod[] {
  const dify = objects.filter((o) => ['Deployment', 'StatefulSet', 'Job'].includes(o.kind)).map((o): Pod => {
    // A Job's pods also carry what the API server adds to every Job's pods.
    const labels = { ...o.spec.template.metadata.labels, ...(o.kind === 'Job' ? jobPod(o.metadata.name) : {}) };
    return { name: labels['app.kubernetes.io/component'], namespace: NS, labels, ports: DIFY_PORTS[labels['app.kubernetes.io/component']] ?? [] };
  });
  return [
    ...dify,
    { name: 'postgresql', namespace: NS, labels: KB('postgresql', 'postgresql'), ports: [5432, 8008, 9187] },
    { name: 'redis', namespace: NS, labels: KB('redis', 'redis'), ports: [6379, 9121] },
    { name: 'redis-sentinel', namespace: NS, labels: KB('redis', 'redis-sentinel'), ports: [26379] },
    { name: 'qdrant', namespace: NS, labels: KB('qdrant', 'qdrant'), ports: [6333, 6334, 6335] },
    { name: 'pg-backup', namespace: NS, labels: { 'app.kubernetes.io/instance': 'postgresql', 'dataprotection.kubeblocks.io/backup-name': 'nightly' }, ports: [] },
    // A restore Job's pod, labelled as KubeBlocks labels it (BuildRestoreLabels, pkg/dataprotection/restore/utils.go at
    // v0.9.5 and v1.0.2): the qdrant addon's restore script calls the new cluster on 6333 until it answers.
    { name: 'qdrant-restore', namespace: NS, labels: { 'app.kubernetes.io/managed-by': 'kubeblocks-dataprotection', 'dataprotection.kubeblocks.io/restore': 'from-nightly' }, ports: [] },
    // The 0.9 operator's Jobs, named as kubeblocks v0.9.5 names them, labelled only by the API server: Redis's
    // postProvision (registers the primary with the sentinels), the switchovers (the Cluster's generation at the end),
    // a PostgreSQL system account (five random characters at the end); and a Job someone runs here by hand.
    { name: 'kb-post-provision', namespace: NS, labels: jobPod('kb-post-provision-job-redis-redis'), ports: [] },
    { name: 'kb-switchover-postgresql', namespace: NS, labels: jobPod('kb-switchover-job-postgresql-postgresql-4'), ports: [] },
    { name: 'kb-switchover-redis', namespace: NS, labels: jobPod('kb-switchover-job-redis-redis-7'), ports: [] },
    { name: 'kb-sysacc', namespace: NS, labels: jobPod('sysacc-postgresql-postgresql-kbadmin-x7k2q'), ports: [] },
    { name: 'hand-made-job', namespace: NS, labels: jobPod('reindex'), ports: [] },
    { name: 'kb-operator', namespace: 'kb-system', labels: { 'app.kubernetes.io/name': 'kubeblocks' }, ports: [] },
    { name: 'ingress', namespace: 'ingress-nginx', labels: { 'app.kubernetes.io/name': 'ingress-nginx' }, ports: [] },
    { name: 'stranger', namespace: 'elsewhere', labels: { run: 'curl' }, ports: [] },
    { name: 'prometheus', namespace: 'monitoring', labels: { 'app.kubernetes.io/name': 'prometheus' }, ports: [] },
    { name: 'debug-pod', namespace: NS, labels: { run: 'debug' }, ports: [] },
  ];
}

/** Who may reach what: the intent, stated apart from lib/network. */
function intended(pod: Pod, dst: Pod, port: number, monitoring: boolean, line: '0.9' | '1.0' = '1.0', pools: readonly string[] = []): boolean {
  // A worker pool's pods call what the default worker's call.
  const src = pools.includes(pod.name) ? { ...pod, name: 'worker' } : pod;
  const backend = ['api', 'worker', 'beat', 'migration', 'plugin-backfill', 'api-websocket'];
  const is = (pod: Pod, ...names: string[]) => names.includes(pod.name);
  // The sandboxes reach only their proxy.
  if (is(src, 'sandbox')) return is(dst, 'ssrf-proxy') && port === 3128;
  if (is(src, 'local-sandbox')) return is(dst, 'agent-ssrf-proxy') && port === 3128;
  const database = { postgresql: ['postgresql'], redis: ['redis', 'redis-sentinel'], qdrant: ['qdrant'] };
  for (const [engine, pods] of Object.entries(database)) {
    if (!pods.includes(dst.name)) continue;
    if (src.labels['app.kubernetes.io/instance'] === engine || is(src, 'kb-operator')) return true;
    if (src.name === 'pg-backup' || src.name === 'qdrant-restore') return true;
    // On 0.9 the operator's Jobs: post-provision and Redis's switchover reach Redis on 6379 and the sentinels on
    // 26379, PostgreSQL's switchover Patroni on 8008, the system accounts PostgreSQL on 5432. Only the post-provision
    // Job's name is known beforehand, so every Job pod without Dify's or KubeBlocks' labels gets the union (the one
    // made by hand too); on 1.0 kbagent does this work from the operator's namespace.
    if (line === '0.9' && ['kb-post-provision', 'kb-switchover-postgresql', 'kb-switchover-redis', 'kb-sysacc', 'hand-made-job'].includes(src.name)) {
      return ({ postgresql: [5432, 8008], redis: [6379, 26379], qdrant: [] } as Record<string, number[]>)[engine].includes(port);
    }
    // Only Prometheus's namespace, and only the metrics ports: Patroni's 8008 and Qdrant's 6333 are APIs as well.
    if (monitoring && src.namespace === 'monitoring' && [9187, 8008, 9121, 6333].includes(port)) return true;
    const users = { postgresql: [...backend, 'plugin-daemon', 'db-init'], redis: [...backend, 'plugin-daemon', 'agent-backend'], qdrant: backend }[engine]!;
    const ports = { postgresql: [5432], redis: [6379, 26379], qdrant: [6333, 6334] }[engine]!;
    return users.includes(src.name) && ports.includes(port);
  }
  const callers: Record<string, string[]> = {
    api: ['web', 'plugin-daemon', 'agent-backend', 'agent-ssrf-proxy'], 'plugin-daemon': ['api', 'worker', 'beat', 'plugin-backfill', 'api-websocket', 'agent-backend'],
    sandbox: ['api', 'worker', 'api-websocket'], 'ssrf-proxy': ['sandbox', 'api', 'worker', 'beat', 'api-websocket', 'plugin-backfill'],
    minio: [...backend, 'minio-bucket'], 'agent-backend': ['api', 'worker', 'agent-ssrf-proxy'], 'local-sandbox': ['agent-backend'], 'agent-ssrf-proxy': ['local-sandbox'],
    web: [], 'api-websocket': [],
  };
  const publicPorts: Record<string, number> = { web: 3000, api: 5001, 'plugin-daemon': 5002, 'api-websocket': 5001 };
  if (dst.name in callers) {
    if (is(src, 'ingress') && publicPorts[dst.name] === port) return true;
    return callers[dst.name].includes(src.name) && DIFY_PORTS[dst.name][0] === port;
  }
  return true;
}

function matrix(objects: Manifest[], decide: (src: Pod, dst: Pod, port: number) => boolean): string[] {
  const pods = podsOf(objects);
  return pods.flatMap((src) => pods.flatMap((dst) => dst.ports.filter((port) => decide(src, dst, port)).map((port) => `${src.name} -> ${dst.name}:${port}`)));
}

describe('network isolation', () => {
  test.each<[string, DifyPlatformProps, boolean]>([
    ['the default platform', {}, false],
    ['every optional component, with monitoring', { dify: { collaboration: { enabled: true }, agent: { enabled: true } }, monitoring: { podMonitors: true } }, true],
    ['KubeBlocks 0.9, the seed\'s line', { kubeblocks: { releaseLine: '0.9' } }, false],
    ['KubeBlocks 0.9 with monitoring', { kubeblocks: { releaseLine: '0.9' }, monitoring: { podMonitors: true } }, true],
    ['worker pools, with Agent v2', { dify: { agent: { enabled: true }, worker: { pools: [{ name: 'indexing', queues: ['dataset'] }, { name: 'flows', queues: ['workflow'] }] } } }, false],
  ])('%s: who reaches what is exactly what is intended', (_case, props, monitoring) => {
    const objects = synthPlatform(props);
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const line = props.kubeblocks?.releaseLine ?? '1.0';
    const pools = (props.dify?.worker?.pools ?? []).map((pool) => `worker-${pool.name}`);

    expect(policies.length).toBeGreaterThan(5);
    expect(podsOf(objects).filter((pod) => pools.includes(pod.name))).toHaveLength(pools.length);
    expect(matrix(objects, (src, dst, port) => reachable(policies, src, dst, port)).sort())
      .toEqual(matrix(objects, (src, dst, port) => intended(src, dst, port, monitoring, line, pools)).sort());
  });

  test('on 0.9 each of the operator\'s Jobs reaches the database ports it uses; on 1.0 none is let in', () => {
    const edges = (props: DifyPlatformProps) => {
      const objects = synthPlatform(props);
      const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
      return matrix(objects, (src, dst, port) => reachable(policies, src, dst, port));
    };
    const needed = ['kb-post-provision -> redis:6379', 'kb-post-provision -> redis-sentinel:26379', 'kb-switchover-postgresql -> postgresql:8008',
      'kb-switchover-redis -> redis:6379', 'kb-switchover-redis -> redis-sentinel:26379', 'kb-sysacc -> postgresql:5432'];
    const seed = edges({ kubeblocks: { releaseLine: '0.9' } });

    expect(seed).toEqual(expect.arrayContaining(needed));
    // Nothing else of the database pods: not Patroni's metrics port to the system accounts, not Qdrant.
    expect(seed.filter((edge) => /^kb-.* -> /.test(edge) && !edge.startsWith('kb-operator')).sort()).toEqual([...needed,
      'kb-post-provision -> postgresql:5432', 'kb-post-provision -> postgresql:8008', 'kb-switchover-postgresql -> postgresql:5432',
      'kb-switchover-postgresql -> redis-sentinel:26379', 'kb-switchover-postgresql -> redis:6379', 'kb-switchover-redis -> postgresql:5432',
      'kb-switchover-redis -> postgresql:8008', 'kb-sysacc -> postgresql:8008', 'kb-sysacc -> redis-sentinel:26379', 'kb-sysacc -> redis:6379'].sort());
    expect(edges({}).filter((edge) => /^kb-(post|switchover|sysacc)/.test(edge))).toEqual([]);
  });

  test('on 0.9 an operator Job is let in on a Kubernetes older than 1.27 (only `job-name`), and a Dify Job is not', () => {
    const objects = synthPlatform({ kubeblocks: { releaseLine: '0.9' } });
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const pod = (name: string) => podsOf(objects).find((p) => p.name === name)!;
    const oldSysacc: Pod = { name: 'kb-sysacc', namespace: NS, labels: { 'job-name': 'sysacc-postgresql-postgresql-kbprobe-a1b2c', 'controller-uid': 'u' }, ports: [] };

    expect(pod('migration').labels['batch.kubernetes.io/job-name']).toBeDefined();
    expect(reachable(policies, oldSysacc, pod('postgresql'), 5432)).toBe(true);
    expect(reachable(policies, pod('migration'), pod('postgresql'), 8008)).toBe(false);
    expect(reachable(policies, { ...oldSysacc, namespace: 'elsewhere' }, pod('postgresql'), 5432)).toBe(false);
  });

  test('the operator is admitted from the namespace KubeBlocks runs in: kubeblocks.namespace, kb-system by default', () => {
    const objects = synthPlatform({ kubeblocks: { namespace: 'kubeblocks' } });
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const postgresql = podsOf(objects).find((pod) => pod.name === 'postgresql')!;
    const operatorIn = (namespace: string): Pod => ({ name: 'kb-operator', namespace, labels: { 'app.kubernetes.io/name': 'kubeblocks' }, ports: [] });

    expect(reachable(policies, operatorIn('kubeblocks'), postgresql, 8008)).toBe(true);
    expect(reachable(policies, operatorIn('kb-system'), postgresql, 8008)).toBe(false);
  });

  test('the matrix says what matters: who reaches the databases, the front doors and the sandboxes', () => {
    const objects = synthPlatform();
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const edges = matrix(objects, (src, dst, port) => reachable(policies, src, dst, port));

    expect(edges).toEqual(expect.arrayContaining(['api -> postgresql:5432', 'worker -> redis:6379', 'api -> qdrant:6333', 'plugin-daemon -> postgresql:5432',
      'kb-operator -> postgresql:8008', 'pg-backup -> postgresql:5432', 'qdrant-restore -> qdrant:6333', 'ingress -> web:3000', 'ingress -> api:5001', 'web -> api:5001',
      'sandbox -> ssrf-proxy:3128', 'redis-sentinel -> redis:6379']));
    expect(edges.filter((edge) => /^(stranger|debug-pod|ingress|web|sandbox) -> (postgresql|redis|redis-sentinel|qdrant):/.test(edge))).toEqual([]);
    expect(edges.filter((edge) => edge.startsWith('sandbox -> ') && !edge.startsWith('sandbox -> ssrf-proxy:'))).toEqual([]);
    expect(edges).not.toContain('stranger -> api:5001');
    // No policy limits what the databases send: PostgreSQL keeps its egress to the API server (Patroni's store).
    expect(policies.filter((p) => p.spec.policyTypes.includes('Egress')).map((p) => p.metadata.name)).toEqual(['dify-sandbox-egress']);
  });

  test('one wrong rule fails the check', () => {
    const objects = synthPlatform();
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const pg = policies.find((p) => p.metadata.name === 'dify-postgresql-access')!;
    pg.spec.ingress[0].from[0].podSelector.matchExpressions[1].values.push('web');

    expect(matrix(objects, (src, dst, port) => reachable(policies, src, dst, port)))
      .toContain('web -> postgresql:5432');
    expect(matrix(objects, (src, dst, port) => intended(src, dst, port, false))).not.toContain('web -> postgresql:5432');
  });

  test('can be turned off, and takes the ingress controller\'s namespaces', () => {
    expect(synthPlatform({ networkPolicies: false }).filter((o) => o.kind === 'NetworkPolicy')).toEqual([]);
    const web = synthPlatform({ networkPolicies: { ingressNamespaces: ['traefik'] } }).find((o) => o.metadata.name === 'dify-web-access')!;
    expect(web.spec.ingress[0].from[0].namespaceSelector.matchExpressions[0].values).toEqual(['traefik']);
  });

  test('a component whose Service is a LoadBalancer or NodePort takes its port from any source (nodes, load balancers), and nothing more', () => {
    const objects = synthPlatform({ dify: { web: { service: { type: 'LoadBalancer' } }, api: { service: { type: 'NodePort' } } } });
    const policies = objects.filter((o) => o.kind === 'NetworkPolicy');
    const outside: Pod = { name: 'load-balancer', namespace: 'elsewhere', labels: {}, ports: [] };
    const pod = (component: string) => podsOf(objects).find((p) => p.name === component)!;

    expect(reachable(policies, outside, pod('web'), 3000)).toBe(true);
    expect(reachable(policies, outside, pod('api'), 5001)).toBe(true);
    expect(reachable(policies, outside, pod('sandbox'), 8194)).toBe(false);
    expect(reachable(policies, outside, pod('postgresql'), 5432)).toBe(false);
    // Without the type, the front doors take traffic from the ingress controller's namespace only.
    const plain = synthPlatform({}).filter((o) => o.kind === 'NetworkPolicy');
    expect(reachable(plain, outside, pod('web'), 3000)).toBe(false);
  });
});
