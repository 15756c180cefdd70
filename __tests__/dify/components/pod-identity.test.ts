/**
 * One identity for the pods that run Dify's api code (`dify.pods.serviceAccount`), a component's own over it, and
 * what every pod keeps: no Kubernetes API token, no RBAC.
 */
import { DifyPlatformProps } from '../../../lib';
import { allPodSpecs, byKindAndName, podSpec } from '../../helpers/dify';
import { Manifest, synthPlatform } from '../../helpers/synth';

const ROLE = 'arn:aws:iam::123456789012:role/dify';
const IRSA: DifyPlatformProps = {
  dify: {
    collaboration: { enabled: true },
    agent: { enabled: true },
    storage: { type: 's3', s3: { endpoint: 'https://s3.eu-west-1.amazonaws.com', bucket: 'dify-files', region: 'eu-west-1', useIamRole: true } },
    pods: { serviceAccount: { create: true, annotations: { 'eks.amazonaws.com/role-arn': ROLE } } },
  },
};

/** Each pod-making object's name (a Job's without its hash) and the account its pods run as. */
function accounts(objects: Manifest[]): Record<string, string | undefined> {
  return Object.fromEntries(allPodSpecs(objects).map(([where, spec]) => [where.replace(/-[0-9a-f]{8}$/, ''), spec.serviceAccountName]));
}

describe('dify.pods.serviceAccount', () => {
  const objects = synthPlatform(IRSA);

  test('makes one ServiceAccount named dify, with its annotations, no token and no role bound to it', () => {
    const made = objects.filter((o) => o.kind === 'ServiceAccount' && o.metadata.name !== 'dify-bootstrap');

    expect(made.map((o) => o.metadata.name)).toEqual(['dify']);
    expect(made[0].metadata.annotations).toMatchObject({ 'eks.amazonaws.com/role-arn': ROLE });
    expect(made[0].automountServiceAccountToken).toBe(false);
    expect(objects.filter((o) => /Binding$/.test(o.kind)).flatMap((o) => o.subjects).map((s: any) => s.name)).toEqual(['dify-bootstrap']);
  });

  test('the pods that run Dify\'s api code run as it, the migration Jobs included; the others do not', () => {
    expect(accounts(objects)).toEqual({
      'Deployment/dify-api': 'dify', 'Deployment/dify-worker': 'dify', 'Deployment/dify-beat': 'dify', 'Deployment/dify-api-websocket': 'dify',
      'Job/dify-migrate-1-16-1': 'dify', 'Job/dify-data-migrate-1-16-1': 'dify', 'Job/dify-plugin-backfill-1-16-1': 'dify',
      'Deployment/dify-web': undefined, 'Deployment/dify-plugin-daemon': undefined, 'Deployment/dify-agent-backend': undefined,
      'Deployment/dify-sandbox': undefined, 'Deployment/dify-ssrf-proxy': undefined,
      'Deployment/dify-local-sandbox': undefined, 'Deployment/dify-agent-ssrf-proxy': undefined,
      'Job/dify-db-init': undefined, 'Job/dify-bootstrap-secrets': 'dify-bootstrap',
    });
    for (const [where, spec] of allPodSpecs(objects).filter(([where]) => !where.startsWith('Job/dify-bootstrap'))) {
      expect([where, spec.automountServiceAccountToken]).toEqual([where, false]);
    }
  });

  test('a component\'s own wins for its pods, and the api\'s own is its Jobs\' too', () => {
    const own = synthPlatform({ dify: { ...IRSA.dify, api: { serviceAccount: { create: true } }, web: { serviceAccount: { name: 'web-identity' } } } });

    expect(accounts(own)).toMatchObject({
      'Deployment/dify-api': 'dify-api', 'Job/dify-migrate-1-16-1': 'dify-api', 'Job/dify-plugin-backfill-1-16-1': 'dify-api',
      'Deployment/dify-worker': 'dify', 'Deployment/dify-web': 'web-identity',
    });
    expect(own.filter((o) => o.kind === 'ServiceAccount').map((o) => o.metadata.name).sort()).toEqual(['dify', 'dify-api', 'dify-bootstrap']);
  });

  test('worker pools run the worker\'s code, and as its identity; a pool\'s own account wins for its pods', () => {
    const pools = [{ name: 'indexing', queues: ['dataset'] }, { name: 'workflows', queues: ['workflow'], serviceAccount: { create: true } }];
    const withPools = synthPlatform({ dify: { ...IRSA.dify, worker: { pools } } });

    expect(accounts(withPools)).toMatchObject({
      'Deployment/dify-worker': 'dify', 'Deployment/dify-worker-indexing': 'dify', 'Deployment/dify-worker-workflows': 'dify-worker-workflows',
    });
  });

  test('an existing account is named, not made', () => {
    const existing = synthPlatform({ dify: { pods: { serviceAccount: { name: 'platform-identity' } } } });

    expect(accounts(existing)['Deployment/dify-worker']).toBe('platform-identity');
    expect(existing.filter((o) => o.kind === 'ServiceAccount').map((o) => o.metadata.name)).toEqual(['dify-bootstrap']);
  });

  test('with an Azure client id, the pods that run as the account carry the label Azure\'s webhook selects', () => {
    const azure = synthPlatform({ dify: { pods: { serviceAccount: { create: true, annotations: { 'azure.workload.identity/client-id': '00000000-0000-0000-0000-000000000000' } } } } });
    const labelled = (name: string) => byKindAndName(azure, 'Deployment', name).spec.template.metadata.labels['azure.workload.identity/use'];

    expect(labelled('dify-api')).toBe('true');
    expect(byKindAndName(azure, 'Job', /^dify-migrate-/).spec.template.metadata.labels['azure.workload.identity/use']).toBe('true');
    expect([labelled('dify-sandbox'), labelled('dify-web')]).toEqual([undefined, undefined]);
    expect(byKindAndName(objects, 'Deployment', 'dify-api').spec.template.metadata.labels).not.toHaveProperty(['azure.workload.identity/use']);
  });

  test.each<[string, DifyPlatformProps, string]>([
    ['annotations on an account made elsewhere', { dify: { pods: { serviceAccount: { name: 'mine', annotations: { 'eks.amazonaws.com/role-arn': ROLE } } } } },
      'dify.pods.serviceAccount.annotations: {"eks.amazonaws.com/role-arn":"arn:aws:iam::123456789012:rol... is not allowed: go on a ServiceAccount made here (create: true); annotate the existing one where it is made'],
    ['two accounts made with one name', { dify: { pods: { serviceAccount: { create: true } }, worker: { serviceAccount: { create: true, name: 'dify' } } } },
      'dify.worker.serviceAccount.name: "dify" is not allowed: is the name of dify.pods.serviceAccount\'s ServiceAccount, also made here'],
    ['an account named like the bootstrap Job\'s', { dify: { pods: { serviceAccount: { create: true, name: 'dify-bootstrap' } } } },
      'dify.pods.serviceAccount.name: "dify-bootstrap" is not allowed: is the name of the bootstrap Job\'s ServiceAccount'],
    // A worker pool's account is made beside its Deployment like any component's: one name, one object.
    ['a pool\'s account named like the worker\'s', { dify: { worker: { serviceAccount: { create: true },
      pools: [{ name: 'idx', queues: ['dataset'], serviceAccount: { create: true, name: 'dify-worker' } }] } } },
      'dify.worker.pools[0].serviceAccount.name: "dify-worker" is not allowed: is the name of dify.worker.serviceAccount\'s ServiceAccount, also made here'],
    // Made as `default`, its role annotation would reach every pod that names no account: the sandboxes among them.
    ['an account made as the namespace\'s default', { dify: { pods: { serviceAccount: { create: true, name: 'default', annotations: { 'eks.amazonaws.com/role-arn': ROLE } } } } },
      'dify.pods.serviceAccount.name: "default" is not allowed: is the namespace\'s own account, which every pod that names none runs as (the sandboxes and SSRF proxies too)'],
    ['a pool run as the bootstrap Job\'s account', { dify: { worker: { pools: [{ name: 'idx', queues: ['dataset'], serviceAccount: { name: 'dify-bootstrap' } }] } } },
      'dify.worker.pools[0].serviceAccount.name: "dify-bootstrap" is not allowed: is the bootstrap Job\'s account, whose Role writes the platform\'s Secrets'],
    ['a projected Kubernetes token, which no Dify pod holds (as the chart tier\'s policy)',
      { dify: { pods: { extraVolumes: [{ name: 'token', projected: { sources: [{ serviceAccountToken: { path: 'token' } }] } }] } } },
      'dify.pods.extraVolumes[0].projected.sources[0].serviceAccountToken: {"path":"token"} is not allowed: would put a service account token in the pods, which the platform keeps from every Dify pod'],
  ])('%s is refused', (_case, props, expected) => {
    expect(() => synthPlatform(props)).toThrow(expected);
  });
});

describe('a Job the pod settings change', () => {
  const jobNames = (objects: Manifest[]) => objects.filter((o) => o.kind === 'Job').map((o) => o.metadata.name);
  const plain = synthPlatform({});

  test('gets a new name, since its pod template cannot change in place; its script is still found', () => {
    const changed = synthPlatform({ dify: { pods: { serviceAccount: { name: 'platform-identity' }, tolerations: [{ key: 'dedicated', operator: 'Exists' }] } } });
    const dbInit = byKindAndName(changed, 'Job', /^dify-db-init-/);

    expect(jobNames(changed).filter((name) => jobNames(plain).includes(name))).toEqual([]);
    expect(jobNames(changed).map((name) => name.replace(/-[0-9a-f]{8}$/, ''))).toEqual(jobNames(plain).map((name) => name.replace(/-[0-9a-f]{8}$/, '')));
    const script = podSpec(dbInit).volumes.find((volume: any) => volume.name === 'script').configMap.name;
    expect(changed.some((o) => o.kind === 'ConfigMap' && o.metadata.name === script)).toBe(true);
  });
});
