import { accountSecretName, componentServiceName, ComponentRef, headlessServiceName, podHost } from '../../lib';

const modern: ComponentRef = { scheme: 'componentDef', clusterName: 'pg', componentName: 'postgresql' };
const legacy: ComponentRef = { scheme: 'legacy', clusterName: 'pg', componentName: 'postgresql' };

describe('names KubeBlocks creates', () => {
  test.each([
    ['componentDef', modern, 'pg-postgresql-postgresql', 'pg-postgresql-account-postgres'],
    ['legacy', legacy, 'pg-postgresql', 'pg-conn-credential'],
  ])('the %s scheme names the primary Service and the account Secret', (_scheme, ref, service, secret) => {
    expect(componentServiceName(ref, 'postgresql')).toBe(service);
    expect(accountSecretName(ref, 'postgres')).toBe(secret);
  });

  test('pods are reached through the headless Service in both schemes', () => {
    expect(headlessServiceName(legacy)).toBe('pg-postgresql-headless');
    expect(podHost(modern, 1, 'dify')).toBe('pg-postgresql-1.pg-postgresql-headless.dify.svc');
  });
});
