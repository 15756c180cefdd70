/**
 * What a community chart may render: each rule on the objects a hostile chart would write, then the hostile chart
 * fixture (__tests__/fixtures/hostile-chart) rendered for real by helm through `npm run synth`.
 */
import * as fs from 'fs';
import * as path from 'path';
import { chartPolicyFor, policyViolations } from '../../../lib/dify/chart/chart-policy';
import { DifyPlatformProps } from '../../../lib';
import { synthPlatform } from '../../helpers/synth';
import { CHART_0_9_1, copyOfChart } from '../../helpers/platforms';
import { describeWithCommunityCharts } from '../../helpers/community-charts';
import { describeWithHelm } from '../../helpers/required-tool';
import { buildApp, fingerprint, ROOT, runSynth, tempDir } from '../../helpers/pipeline';


const POLICY = chartPolicyFor('dify', {});

const deployment = (spec: Record<string, unknown>, container: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'x' },
  spec: { template: { spec: { ...spec, containers: [{ name: 'c', image: 'busybox:1.36', ...container }] } } },
});

describe('each rule of the chart policy refuses in one line naming the object', () => {
  test.each<[string, Record<string, unknown>, string]>([
    ['a cluster-wide role', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'ClusterRole', metadata: { name: 'all' } },
      'ClusterRole all: a chart may not render a ClusterRole (rbac.authorization.k8s.io/v1)'],
    ['a webhook', { apiVersion: 'admissionregistration.k8s.io/v1', kind: 'MutatingWebhookConfiguration', metadata: { name: 'w' } },
      'MutatingWebhookConfiguration w: a chart may not render a MutatingWebhookConfiguration'],
    ['a CRD', { apiVersion: 'apiextensions.k8s.io/v1', kind: 'CustomResourceDefinition', metadata: { name: 'c.example.com' } },
      'CustomResourceDefinition c.example.com: a chart may not render'],
    ['a DaemonSet (a pod on every node)', { apiVersion: 'apps/v1', kind: 'DaemonSet', metadata: { name: 'd' } }, 'DaemonSet d: a chart may not render'],
    ['a NetworkPolicy (which would widen the platform\'s)', { apiVersion: 'networking.k8s.io/v1', kind: 'NetworkPolicy', metadata: { name: 'n' } },
      'NetworkPolicy n: a chart may not render'],
    ['an object in kube-system', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'kube-system' } },
      'ConfigMap c: is written into namespace kube-system, a namespace Kubernetes keeps for itself: a chart\'s objects belong in the platform\'s namespace dify'],
    ['an object in another namespace', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'team-b' } },
      'ConfigMap c: is written into namespace team-b: a chart\'s objects belong'],
    ['hostNetwork', deployment({ hostNetwork: true }), 'Deployment x: hostNetwork: true shares the node\'s network namespace with the pod'],
    ['hostPID', deployment({ hostPID: true }), 'Deployment x: hostPID: true shares the node\'s process namespace'],
    ['hostIPC', deployment({ hostIPC: true }), 'Deployment x: hostIPC: true shares the node\'s IPC namespace'],
    ['a hostPath volume', deployment({ volumes: [{ name: 'root', hostPath: { path: '/' } }] }), 'Deployment x: volume root mounts the node\'s / (hostPath)'],
    ['root', deployment({ securityContext: { runAsUser: 0 } }), 'Deployment x: the pod is made to run as root (runAsUser: 0)'],
    ['an unsafe sysctl', deployment({ securityContext: { sysctls: [{ name: 'kernel.msgmax', value: '1' }] } }), 'sysctl kernel.msgmax is not one the baseline profile calls safe'],
    ['a privileged container', deployment({}, { securityContext: { privileged: true } }), 'Deployment x: container c is privileged'],
    ['escalation', deployment({}, { securityContext: { allowPrivilegeEscalation: true } }), 'container c sets allowPrivilegeEscalation: true'],
    ['added capabilities', deployment({}, { securityContext: { capabilities: { add: ['SYS_ADMIN', 'CAP_NET_ADMIN'] } } }),
      'container c adds capabilities SYS_ADMIN, CAP_NET_ADMIN; only NET_BIND_SERVICE may be added'],
    ['an unconfined seccomp profile', deployment({}, { securityContext: { seccompProfile: { type: 'Unconfined' } } }), 'container c runs without a seccomp profile'],
    ['a host port', deployment({}, { ports: [{ containerPort: 80, hostPort: 80 }] }), 'container c binds port 80 of the node (hostPort)'],
    ['a privileged init container of a CronJob',
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'j' }, spec: { jobTemplate: { spec: { template: { spec: { initContainers: [{ name: 'i', securityContext: { privileged: true } }] } } } } } },
      'CronJob j: container i is privileged'],
    ['a NodePort nobody asked for', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { type: 'NodePort', selector: { 'app.kubernetes.io/component': 'api' } } },
      'Service s: is of type NodePort, which the config does not ask for'],
    ['external IPs', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { externalIPs: ['203.0.113.7'] } }, 'Service s: takes traffic for external IPs 203.0.113.7'],
    ['a credential key in a ConfigMap', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { DB_PASSWORD: 'difyai123456' } },
      'ConfigMap c: holds DB_PASSWORD, a credential, in plain text; give it from a Secret'],
    ['a credential line in a ConfigMap file', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { '.env': 'LOG_LEVEL=INFO\nexport OPENAI_API_KEY="sk-1"\n' } },
      'ConfigMap c: holds OPENAI_API_KEY in its .env, a credential in plain text'],
    ['a service account token Secret', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 't', annotations: { 'kubernetes.io/service-account.name': 'default' } }, type: 'kubernetes.io/service-account-token' },
      'Secret t: asks the cluster for a token of service account default'],
    ['a Role that writes', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'update'] }] },
      'Role r: grants update; a chart\'s Role may only get, list and watch'],
    ['a Role of wildcards', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [{ apiGroups: ['*'], resources: ['pods'], verbs: ['get'] }] },
      'Role r: grants * (every resource or API group)'],
    ['a Role that reads Secrets', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['secrets'], verbs: ['list'] }] },
      'Role r: reads secrets, which hold credentials'],
    ['a RoleBinding to a ClusterRole', { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'ClusterRole', name: 'admin' }, subjects: [] },
      'RoleBinding b: binds ClusterRole admin, which is not a Role the chart renders'],
  ])('%s', (_case, object, line) => {
    const problems = policyViolations([object], POLICY);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(line);
  });

  test('a RoleBinding of a user, or of another namespace\'s service account, is refused subject by subject', () => {
    const role = { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'] }] };
    const binding = {
      apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'Role', name: 'r' },
      subjects: [{ kind: 'ServiceAccount', name: 'api' }, { kind: 'User', name: 'mallory' }, { kind: 'ServiceAccount', name: 'x', namespace: 'other' }],
    };
    expect(policyViolations([role, binding], POLICY)).toEqual([
      'RoleBinding b: binds User mallory; only service accounts of dify may be bound',
      'RoleBinding b: binds ServiceAccount other/x; only service accounts of dify may be bound',
    ]);
  });

  test('what a Dify chart renders passes: workloads the restricted profile allows, ClusterIP Services, a read-only Role bound here', () => {
    const objects = [
      deployment({ securityContext: { runAsNonRoot: true, runAsUser: 1001 } }, { securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ['ALL'], add: ['NET_BIND_SERVICE'] } } }),
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's', namespace: 'dify' }, spec: { selector: { 'app.kubernetes.io/component': 'api' } } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { 'python-requirements.txt': 'numpy\n', SECRET_KEY: '' } },
      { apiVersion: 'v1', kind: 'PersistentVolumeClaim', metadata: { name: 'p' } },
      { apiVersion: 'autoscaling/v2', kind: 'HorizontalPodAutoscaler', metadata: { name: 'h' } },
      { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'HTTPRoute', metadata: { name: 'r' } },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'Role', metadata: { name: 'r' }, rules: [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'watch'] }] },
      { apiVersion: 'rbac.authorization.k8s.io/v1', kind: 'RoleBinding', metadata: { name: 'b' }, roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'ServiceAccount', name: 'api', namespace: 'dify' }] },
    ];
    expect(policyViolations(objects, POLICY)).toEqual([]);
  });

  test('a Service type the values ask for, for the component it selects, passes; for another component it does not', () => {
    const nodePort = (component: string) => ({ apiVersion: 'v1', kind: 'Service', metadata: { name: component }, spec: { type: 'NodePort', selector: { 'app.kubernetes.io/component': component } } });
    const policy = chartPolicyFor('dify', { api: { service: { type: 'NodePort' } } });
    expect(policyViolations([nodePort('api')], policy)).toEqual([]);
    expect(policyViolations([nodePort('frontend')], policy)).toHaveLength(1);
  });
});

describeWithCommunityCharts('the hostile chart tests', describeWithHelm)('a hostile chart, rendered by helm', () => {
  beforeAll(buildApp);

  test('npm run synth refuses every object it must not ship, one line each, and leaves dist/ exactly as it was', () => {
    const chart = copyOfChart('0.9.1');
    fs.copyFileSync(path.join(ROOT, '__tests__', 'fixtures', 'hostile-chart', 'hostile.yaml'), path.join(chart, 'templates', 'hostile.yaml'));
    const switches = ['privileged', 'clusterAdmin', 'secretReader', 'webhook', 'crd', 'kubeSystem', 'hostVolume', 'exposed', 'credentials'];
    const configDir = tempDir('config-');
    fs.writeFileSync(path.join(configDir, 'platform.yaml'), JSON.stringify({
      dify: { version: '1.13.3', chart: { path: chart, values: { hostile: Object.fromEntries(switches.map((name) => [name, true])) } } },
    }));
    const dist = tempDir('dist-');
    fs.writeFileSync(path.join(dist, 'notes.md'), 'kept\n');
    const before = fingerprint(dist);

    const run = runSynth({ DIFY_CONFIG_DIR: configDir, DIST_DIR: dist });

    expect(run.status).not.toBe(0);
    const refused = run.stderr.split('\n').filter((line) => line.includes('platform.yaml: dify.chart:'));
    const expected = [
      'Deployment miner: hostNetwork: true', 'Deployment miner: hostPID: true', 'Deployment miner: volume root mounts the node\'s / (hostPath)',
      'Deployment miner: the pod is made to run as root', 'Deployment miner: container miner is privileged',
      'Deployment miner: container miner sets allowPrivilegeEscalation: true', 'Deployment miner: container miner adds capabilities SYS_ADMIN, NET_ADMIN',
      'ClusterRole everything: a chart may not render a ClusterRole', 'ClusterRoleBinding take-over: a chart may not render a ClusterRoleBinding',
      'Role secret-reader: reads secrets', 'RoleBinding admin-here: binds ClusterRole admin', 'RoleBinding admin-here: binds User mallory',
      'MutatingWebhookConfiguration every-create: a chart may not render', 'CustomResourceDefinition backdoors.example.com: a chart may not render',
      'ConfigMap coredns: is written into namespace kube-system', 'PersistentVolume node-root: a chart may not render a PersistentVolume',
      'Service api-nodeport: is of type NodePort', 'Service api-public: is of type LoadBalancer',
      'ConfigMap app-env: holds DB_PASSWORD', 'ConfigMap app-env: holds OPENAI_API_KEY in its app.env',
    ];
    for (const line of expected) expect({ line, found: refused.some((problem) => problem.includes(line)) }).toEqual({ line, found: true });
    expect(refused).toHaveLength(expected.length);
    expect(run.stderr).not.toContain('sk-not-a-real-key');
    expect(fingerprint(dist)).toEqual(before);
  });

  /** The refusal lines of a synth of the douban chart with the hostile template's switches on. */
  function refusedWith(switches: string[]): { lines: string[]; stderr: string } {
    const chart = copyOfChart('0.9.1');
    fs.copyFileSync(path.join(ROOT, '__tests__', 'fixtures', 'hostile-chart', 'hostile.yaml'), path.join(chart, 'templates', 'hostile.yaml'));
    const configDir = tempDir('config-');
    fs.writeFileSync(path.join(configDir, 'platform.yaml'), JSON.stringify({
      dify: { version: '1.13.3', chart: { path: chart, values: { hostile: Object.fromEntries(switches.map((name) => [name, true])) } } },
    }));
    const run = runSynth({ DIFY_CONFIG_DIR: configDir, DIST_DIR: path.join(tempDir('dist-'), 'dist') });
    expect(run.status).not.toBe(0);
    return { lines: run.stderr.split('\n').filter((line) => line.includes('platform.yaml: dify.chart:')), stderr: run.stderr };
  }

  test('what hides in an admitted kind is refused too: snippets, tokens, AppArmor off, node volumes, credentials in JSON and YAML', () => {
    const { lines, stderr } = refusedWith(['sneaky']);
    const expected = [
      'Ingress snippet: carries nginx.ingress.kubernetes.io/server-snippet',
      'Deployment tokened: container main runs without an AppArmor profile (annotation container.apparmor.security.beta.kubernetes.io/main: unconfined)',
      'Deployment tokened: volume token projects a service account token into the pod',
      'Deployment tokened: volume share is of type nfs, which the restricted profile does not allow',
      'ConfigMap app-json: holds provider.apiKey in its settings.json', 'ConfigMap app-json: holds password in its settings.yaml',
    ];
    for (const line of expected) expect({ line, found: lines.some((problem) => problem.includes(line)) }).toEqual({ line, found: true });
    expect(lines).toHaveLength(expected.length);
    expect(stderr).not.toMatch(/sk-live-0000|hunter2/);
  });

  test('what the API server would refuse (a name too long for its kind, annotations over 256 KiB) stops synth before publishing', () => {
    const { stderr } = refusedWith(['oversized']);
    expect(stderr).toContain(`platform.yaml: Service ${'s'.repeat(70)}: its name is 70 characters; a Service takes at most 63`);
    expect(stderr).toMatch(/platform\.yaml: ConfigMap annotated: its annotations are \d+ bytes; Kubernetes takes at most 262144 in all/);
  });

  test('a chart object named like one of the platform\'s, and credentials in env values, are refused when hardened', () => {
    const { lines: named } = refusedWith(['clash']);
    expect(named).toEqual([expect.stringContaining('ServiceAccount dify-bootstrap: the platform writes an object of that kind and name itself')]);
    const { lines, stderr } = refusedWith(['proxied']);
    const expected = ['HTTP_PROXY is a URL that holds a credential (user:password@)', 'SMTP_PASS is a credential written as a value'];
    for (const line of expected) expect({ line, found: lines.some((problem) => problem.includes(line)) }).toEqual({ line, found: true });
    expect(stderr).not.toMatch(/Pr0xyPassw0rd|hunter2/);
  });

  test('privileged: true in the chart\'s values is refused, not written beside allowPrivilegeEscalation: false; a NodePort the values ask for passes', () => {
    const values = CHART_0_9_1.dify!.chart!.values!;
    const asking = (api: Record<string, unknown>): DifyPlatformProps =>
      ({ ...CHART_0_9_1, dify: { ...CHART_0_9_1.dify, chart: { ...CHART_0_9_1.dify!.chart, values: { ...values, api: { ...values.api as object, ...api } } } } });

    expect(() => synthPlatform(asking({ securityContext: { privileged: true } }))).toThrow(/Deployment dify-api: container dify-api is privileged: it would hold every capability and device of the node/);
    const served = synthPlatform(asking({ service: { type: 'NodePort' } }));
    expect(served.filter((object) => object.kind === 'Service').map((object) => [object.metadata.name, object.spec.type])).toContainEqual(['dify-api-svc', 'NodePort']);
  });
});
