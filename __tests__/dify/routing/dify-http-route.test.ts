import { byKindAndName } from '../../helpers/dify';
import { GATEWAY } from '../../helpers/platforms';
import { Manifest, synthPlatform } from '../../helpers/synth';

/** `path -> service:port` of an Ingress or an HTTPRoute, comparable across the two. */
function routesOf(object: Manifest): string[] {
  if (object.kind === 'Ingress') {
    return object.spec.rules[0].http.paths.map((p: any) => `${p.path.replace(/(.)\/$/, '$1')} -> ${p.backend.service.name}:${p.backend.service.port.number}`);
  }
  return object.spec.rules.map((rule: any) => `${rule.matches[0].path.value} -> ${rule.backendRefs[0].name}:${rule.backendRefs[0].port}`);
}

// Validated against the Gateway API CRD with the other variations (schema-validation.test.ts).
describe('the Gateway API HTTPRoute', () => {
  const objects = synthPlatform(GATEWAY);
  const route = byKindAndName(objects, 'HTTPRoute', 'dify');

  test('has exactly the Ingress\'s routes, each to a Service the platform creates, on a port it exposes', () => {
    const exposed = new Set(objects.filter((o) => o.kind === 'Service').flatMap((o) => o.spec.ports.map((p: any) => `${o.metadata.name}:${p.port}`)));

    expect(routesOf(route).sort()).toEqual(routesOf(byKindAndName(objects, 'Ingress', 'dify-ingress')).sort());
    expect(routesOf(route)).toContain('/socket.io -> dify-api-websocket:5001');
    for (const target of routesOf(route).map((line) => line.split(' -> ')[1])) expect(exposed).toContain(target);
  });

  test('attaches to the Gateways named, for the public host and the extra hosts', () => {
    expect(route.spec.parentRefs).toEqual([{ group: 'gateway.networking.k8s.io', kind: 'Gateway', name: 'public', namespace: 'gateways', sectionName: 'https' }]);
    expect(route.spec.hostnames).toEqual(['dify.example.com', 'ai.example.org']);
    expect(route.metadata.annotations).toMatchObject({ 'example.com/route': 'dify', 'argocd.argoproj.io/sync-wave': '3' });
  });

  test('can replace the Ingress, or stand beside it', () => {
    const alone = synthPlatform({ dify: { ingress: { enabled: false }, gateway: { parentRefs: [{ name: 'public' }] } } });

    expect(alone.filter((o) => o.kind === 'Ingress')).toEqual([]);
    expect(alone.filter((o) => o.kind === 'HTTPRoute')).toHaveLength(1);
    expect(objects.filter((o) => ['Ingress', 'HTTPRoute'].includes(o.kind))).toHaveLength(2);
  });

  test('is refused without a Gateway to attach to', () => {
    expect(() => synthPlatform({ dify: { gateway: { parentRefs: [] } } })).toThrow('dify.gateway.parentRefs: [] is not allowed: must name at least one Gateway');
  });
});

describe('extra Ingress hosts', () => {
  test('get the same paths and are in the TLS section; public URLs keep the main host', () => {
    const objects = synthPlatform({ dify: { tls: { enabled: true, secretName: 'dify-tls' }, ingress: { extraHosts: ['ai.example.org'] } } });
    const ingress = byKindAndName(objects, 'Ingress', 'dify-ingress');

    expect(ingress.spec.rules.map((rule: any) => rule.host)).toEqual(['dify.example.com', 'ai.example.org']);
    expect(ingress.spec.rules[1].http).toEqual(ingress.spec.rules[0].http);
    expect(ingress.spec.tls).toEqual([{ hosts: ['dify.example.com', 'ai.example.org'], secretName: 'dify-tls' }]);
  });
});
