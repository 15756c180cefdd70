/**
 * Network isolation of a platform (on by default): NetworkPolicies that let each database take connections only
 * from the Dify components that use it, its own pods, the KubeBlocks operator and backup pods; Dify's front doors
 * only from the ingress controller's namespace and the components that call them; and the two sandboxes reach
 * nothing but their egress proxy (and DNS). Pods are selected by the labels KubeBlocks and the Dify tier put on them.
 * A policy selects the pods it protects; pods no policy selects stay open, as Kubernetes defines it.
 * On 0.9 the operator also runs Jobs beside the databases (release-lines.ts, operatorJobs), admitted on their ports.
 */
import { Construct } from 'constructs';
import * as k8s from '../k8s';
import { MilvusConnection, PostgresqlConnection, QdrantConnection, RedisConnection, sentinelOf } from '../kubeblocks/connections';
import { DatabasePort, Engine, OperatorJob, RELEASE_LINES, ReleaseLine } from '../kubeblocks/release-lines';
import { labelsOf, SYNC_WAVE, syncWave } from '../dify/components/workload';

export interface NetworkPoliciesProps {
  readonly namespace: string;
  readonly version: string;
  /** The KubeBlocks release line the clusters run on: on 0.9 the operator's own Jobs need a way in. */
  readonly releaseLine: ReleaseLine;
  readonly postgresql: PostgresqlConnection;
  readonly redis: RedisConnection;
  /** The Qdrant cluster, when the platform runs one. @default - none (pgvector) */
  readonly qdrant?: QdrantConnection;
  /** The Milvus cluster, when the platform runs one. @default - none */
  readonly milvus?: MilvusConnection;
  /** Namespaces of the ingress controller or Gateway that sends public traffic in. */
  readonly ingressNamespaces: readonly string[];
  /** The namespace KubeBlocks' operator and data-protection controller run in (kbagent, lorry, config manager calls). */
  readonly operatorNamespace: string;
  /** When set, Prometheus scrapes the databases' metrics ports from these namespaces, and from no other. */
  readonly monitoringNamespaces?: readonly string[];
  /** The Dify components the platform runs (the `app.kubernetes.io/component` of its pods): only they get policies. */
  readonly components: ReadonlySet<string>;
  /**
   * Components whose Service is a NodePort or LoadBalancer (asked for by their `service.type`): their traffic comes
   * from nodes and load balancers, not from a namespace, so their port takes it from any source.
   * @default - none
   */
  readonly exposed?: ReadonlySet<string>;
  /**
   * The components of the worker pools (`worker-<name>`, dify.worker.pools): each calls what the default worker calls.
   * @default - none
   */
  readonly workerPools?: readonly string[];
}

/** Which Dify components call which database or service (the `app.kubernetes.io/component` of their pods). */
export const CALLERS = {
  // `worker-beat` and `frontend`: the douban chart's names for beat and web.
  postgresql: ['api', 'worker', 'beat', 'worker-beat', 'migration', 'plugin-backfill', 'api-websocket', 'plugin-daemon', 'db-init'],
  redis: ['api', 'worker', 'beat', 'worker-beat', 'migration', 'plugin-backfill', 'api-websocket', 'plugin-daemon', 'agent-backend'],
  qdrant: ['api', 'worker', 'beat', 'worker-beat', 'migration', 'plugin-backfill', 'api-websocket'],
  milvus: ['api', 'worker', 'beat', 'worker-beat', 'migration', 'plugin-backfill', 'api-websocket'],
  api: ['web', 'frontend', 'plugin-daemon', 'agent-backend', 'agent-ssrf-proxy'],
  'plugin-daemon': ['api', 'worker', 'beat', 'worker-beat', 'plugin-backfill', 'api-websocket', 'agent-backend'],
  sandbox: ['api', 'worker', 'api-websocket'],
  'ssrf-proxy': ['sandbox', 'api', 'worker', 'beat', 'api-websocket', 'plugin-backfill'],
  minio: ['api', 'worker', 'beat', 'worker-beat', 'migration', 'plugin-backfill', 'api-websocket', 'minio-bucket'],
  'agent-backend': ['api', 'worker', 'agent-ssrf-proxy'],
  'local-sandbox': ['agent-backend'],
  'agent-ssrf-proxy': ['local-sandbox'],
} as const;

/** Dify components that take public traffic from the ingress controller or Gateway, and their ports. */
const FRONT_DOORS: Readonly<Record<string, number>> = { web: 3000, frontend: 3000, api: 5001, 'plugin-daemon': 5002, 'api-websocket': 5001 };
/** The ports each Dify service takes calls on. */
const SERVICE_PORTS: Readonly<Record<string, number>> = {
  api: 5001, 'plugin-daemon': 5002, sandbox: 8194, 'ssrf-proxy': 3128, minio: 9000, 'agent-backend': 5050, 'local-sandbox': 5004, 'agent-ssrf-proxy': 3128,
};
/** Patroni's REST API on the PostgreSQL pods (kubeblocks-addons v0.9.5 and v1.0.2, the postgresql addon's port `patroni`). */
const PATRONI_PORT = 8008;
/** The databases' metrics ports (exporters, Patroni, Qdrant), open to Prometheus when monitoring is on. */
const METRICS_PORTS = { postgresql: [9187, PATRONI_PORT], redis: [9121], qdrant: [6333], milvus: [9091] };

type Peer = k8s.NetworkPolicyPeer;
const tcp = (port: number): k8s.NetworkPolicyPort => ({ protocol: 'TCP', port: k8s.IntOrString.fromNumber(port) });
const difyPods = (components: readonly string[]): Peer => ({
  podSelector: { matchExpressions: [{ key: 'app.kubernetes.io/name', operator: 'In', values: ['dify'] },
    { key: 'app.kubernetes.io/component', operator: 'In', values: [...components] }] },
});
const namespaces = (names: readonly string[]): Peer => ({
  namespaceSelector: { matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [...names] }] },
});
const anyNamespace: Peer = { namespaceSelector: {} };

/**
 * The pods of the operator's Jobs (release-lines.ts, operatorJobs). Their templates carry no label of KubeBlocks';
 * the API server gives every Job's pods `job-name` and, since Kubernetes 1.27, `batch.kubernetes.io/job-name`, both
 * the Job's name, and `controller-uid` (kubernetes pkg/registry/batch/job/strategy.go, generateSelector). Only the
 * post-provision Job's name is known before it runs: a switchover's ends in the Cluster's generation at the time of
 * the OpsRequest, a system account's in five random characters, and a selector matches whole values only (In, NotIn,
 * Exists, DoesNotExist: no prefix). So the narrowest sound peer is a Job pod of this namespace that carries none of
 * the `app.kubernetes.io/` labels every pod of Dify's, of the KubeBlocks clusters, their backups and restores has.
 * It also admits, on the same ports, a Job someone runs here without those labels; the post-provision pod needs no
 * peer of its own, as it is one of these.
 */
const operatorJobPods: Peer[] = ['job-name', 'batch.kubernetes.io/job-name'].map((jobName) => ({
  podSelector: {
    matchExpressions: [{ key: jobName, operator: 'Exists' },
      ...['app.kubernetes.io/name', 'app.kubernetes.io/instance', 'app.kubernetes.io/managed-by'].map((key) => ({ key, operator: 'DoesNotExist' }))],
  },
}));

/** The port numbers the operator's Jobs for `engine` connect to, from what each port is on that engine. */
function operatorJobPorts(jobs: readonly OperatorJob[], engine: Engine, numbers: Readonly<Partial<Record<DatabasePort, number>>>): number[] {
  const ports = jobs.filter((job) => job.engine === engine).flatMap((job) => job.ports).map((port) => {
    const number = numbers[port];
    if (number === undefined) throw new Error(`no ${port} port is known for ${engine}`);
    return number;
  });
  return [...new Set(ports)].sort((a, b) => a - b);
}

export class NetworkPolicies extends Construct {
  constructor(scope: Construct, id: string, private readonly props: NetworkPoliciesProps) {
    super(scope, id);
    // Only the clusters this platform writes: an existing cluster may serve others, an external server is not a pod here.
    const jobs = RELEASE_LINES[props.releaseLine].operatorJobs;
    const { postgresql, redis } = props;
    if (postgresql.origin === 'platform') {
      this.database('postgresql', postgresql.clusterName, [postgresql.port],
        operatorJobPorts(jobs, 'postgresql', { service: postgresql.port, patroni: PATRONI_PORT }));
    }
    if (redis.origin === 'platform') {
      const sentinel = sentinelOf(redis).port;
      this.database('redis', redis.clusterName, [redis.port, sentinel], operatorJobPorts(jobs, 'redis', { service: redis.port, sentinel }));
    }
    if (props.qdrant?.origin === 'platform') this.database('qdrant', props.qdrant.clusterName, [props.qdrant.httpPort, props.qdrant.grpcPort]);
    if (props.milvus?.origin === 'platform') this.database('milvus', props.milvus.clusterName, [props.milvus.port]);
    for (const [component, port] of Object.entries(SERVICE_PORTS)) this.service(component, port);
    for (const component of ['web', 'frontend', 'api-websocket']) this.frontDoorOnly(component);
    this.egressOnlyTo('sandbox', 'ssrf-proxy');
    this.egressOnlyTo('local-sandbox', 'agent-ssrf-proxy');
  }

  /** Who calls a database or service: its callers, and the worker pools wherever the default worker is one. */
  private callersOf(target: keyof typeof CALLERS): string[] {
    const callers: readonly string[] = CALLERS[target];
    return callers.includes('worker') ? [...callers, ...this.props.workerPools ?? []] : [...callers];
  }

  private policy(name: string, spec: k8s.NetworkPolicySpec): void {
    new k8s.KubeNetworkPolicy(this, name, {
      metadata: { name, namespace: this.props.namespace, labels: labelsOf('network-policy', this.props.version), annotations: syncWave(SYNC_WAVE.clusters) },
      spec,
    });
  }

  /**
   * A database's pods (all pods of the KubeBlocks cluster: its replicas and sentinels): its Dify callers on its
   * ports; its own pods, the operator's namespace (kbagent, lorry, config manager), backup Jobs and restore Jobs on
   * any port. A restore Job's pod carries only `app.kubernetes.io/managed-by: kubeblocks-dataprotection` and
   * `dataprotection.kubeblocks.io/restore` (BuildRestoreLabels, kubeblocks pkg/dataprotection/restore/utils.go at
   * v0.9.5 and v1.0.2); the qdrant addon's restore script retries the new cluster on 6333 until it answers. The
   * operator's Jobs (0.9), on `jobPorts` only.
   */
  private database(engine: keyof typeof METRICS_PORTS, clusterName: string, ports: readonly number[], jobPorts: readonly number[] = []): void {
    const ownPods: Peer = { podSelector: { matchLabels: { 'app.kubernetes.io/instance': clusterName } } };
    const backupPods: Peer = { podSelector: { matchExpressions: [{ key: 'dataprotection.kubeblocks.io/backup-name', operator: 'Exists' }] } };
    const restorePods: Peer = { podSelector: { matchExpressions: [{ key: 'dataprotection.kubeblocks.io/restore', operator: 'Exists' }] } };
    this.policy(`dify-${engine}-access`, {
      podSelector: { matchLabels: { 'app.kubernetes.io/instance': clusterName, 'app.kubernetes.io/managed-by': 'kubeblocks' } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [difyPods(this.callersOf(engine))], ports: ports.map(tcp) },
        { from: [ownPods, backupPods, restorePods, namespaces([this.props.operatorNamespace])] },
        ...(jobPorts.length > 0 ? [{ from: operatorJobPods, ports: jobPorts.map(tcp) }] : []),
        ...(this.props.monitoringNamespaces ? [{ from: [namespaces(this.props.monitoringNamespaces)], ports: METRICS_PORTS[engine].map(tcp) }] : []),
      ],
    });
  }

  /** A Dify service: its callers, and the ingress controller when it is a front door. */
  private service(component: string, port: number): void {
    if (!this.props.components.has(component)) return;
    const callers = this.callersOf(component as keyof typeof CALLERS);
    const publicPort = FRONT_DOORS[component];
    this.policy(`dify-${component}-access`, {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'dify', 'app.kubernetes.io/component': component } },
      policyTypes: ['Ingress'],
      ingress: [
        { from: [difyPods(callers)], ports: [tcp(port)] },
        ...(publicPort ? [{ from: [namespaces(this.props.ingressNamespaces)], ports: [tcp(publicPort)] }] : []),
        ...this.fromAnywhere(component, publicPort ?? port),
      ],
    });
  }

  /** For a component its Service exposes on nodes or a load balancer: its port, open to any source. */
  private fromAnywhere(component: string, port: number): k8s.NetworkPolicyIngressRule[] {
    return this.props.exposed?.has(component) ? [{ ports: [tcp(port)] }] : [];
  }

  /** A component only the ingress controller calls (web, the websocket api). */
  private frontDoorOnly(component: string): void {
    if (!this.props.components.has(component)) return;
    this.policy(`dify-${component}-access`, {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'dify', 'app.kubernetes.io/component': component } },
      policyTypes: ['Ingress'],
      ingress: [{ from: [namespaces(this.props.ingressNamespaces)], ports: [tcp(FRONT_DOORS[component])] }, ...this.fromAnywhere(component, FRONT_DOORS[component])],
    });
  }

  /**
   * Code users run may reach its proxy and DNS, nothing else. Without the proxy (a community chart runs none) the
   * sandbox keeps the egress the chart gives it.
   */
  private egressOnlyTo(component: string, proxy: string): void {
    if (!this.props.components.has(component) || !this.props.components.has(proxy)) return;
    this.policy(`dify-${component}-egress`, {
      podSelector: { matchLabels: { 'app.kubernetes.io/name': 'dify', 'app.kubernetes.io/component': component } },
      policyTypes: ['Egress'],
      egress: [
        { to: [difyPods([proxy])], ports: [tcp(SERVICE_PORTS[proxy])] },
        { to: [anyNamespace], ports: [{ protocol: 'UDP', port: k8s.IntOrString.fromNumber(53) }, tcp(53)] },
      ],
    });
  }
}
