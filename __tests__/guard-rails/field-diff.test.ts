import { describeChange, fieldChanges, onlyLabels } from '../../lib/guard-rails/field-diff';

describe('the fields that change inside an object', () => {
  test('a changed, an added and a removed field, each with its path', () => {
    const changes = fieldChanges({ spec: { replicas: 2, paused: true } }, { spec: { replicas: 3, minReadySeconds: 5 } });
    expect(changes.map(describeChange)).toEqual(['spec.replicas: 2 -> 3', 'spec.paused: - true', 'spec.minReadySeconds: + 5']);
  });

  test('named list items are matched by name: a variable added in the middle is one change', () => {
    const before = { env: [{ name: 'A', value: '1' }, { name: 'C', value: '3' }] };
    const after = { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }, { name: 'C', value: '4' }] };
    expect(fieldChanges(before, after).map(describeChange)).toEqual(['env[name=B]: + {"name":"B","value":"2"}', 'env[name=C].value: "3" -> "4"']);
  });

  test('unkeyed lists are compared index by index, an item past the other\'s end added or removed with its value; keys that are no plain names are quoted', () => {
    expect(fieldChanges({ args: ['a', 'b'] }, { args: ['a', 'c'] }).map(describeChange)).toEqual(['args[1]: "b" -> "c"']);
    expect(fieldChanges({ args: ['a'] }, { args: ['a', 'b'] }).map(describeChange)).toEqual(['args[1]: + "b"']);
    expect(fieldChanges({ args: ['a', 'b', 'c'] }, { args: ['a'] }).map(describeChange)).toEqual(['args[1]: - "b"', 'args[2]: - "c"']);
    expect(fieldChanges({ metadata: { labels: { 'app.kubernetes.io/version': '1' } } }, { metadata: { labels: { 'app.kubernetes.io/version': '2' } } })
      .map(describeChange)).toEqual(['metadata.labels["app.kubernetes.io/version"]: "1" -> "2"']);
  });

  test('nothing for equal objects; long values are cut to one line', () => {
    expect(fieldChanges({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
    expect(describeChange({ path: 'data.script', old: 'x'.repeat(200), new: 'y' })).toMatch(/^data\.script: "x{40}…" -> "y"$/);
  });

  test('a change of labels alone is told apart from any other', () => {
    expect(onlyLabels(fieldChanges({ metadata: { labels: { a: '1' } } }, { metadata: { labels: { a: '2' } } }))).toBe(true);
    expect(onlyLabels(fieldChanges({ metadata: { labels: { a: '1' } }, spec: 1 }, { metadata: { labels: { a: '2' } }, spec: 2 }))).toBe(false);
    expect(onlyLabels([])).toBe(false);
  });

  test('an Ingress path added in the middle is that one path, under its host, never the list cut off', () => {
    const path = (p: string, service: string) => ({ path: p, pathType: 'Prefix', backend: { service: { name: service, port: { number: 5001 } } } });
    const before = { spec: { rules: [{ host: 'dify.example.com', http: { paths: [path('/v1', 'dify-api'), path('/', 'dify-web')] } }] } };
    const after = { spec: { rules: [{ host: 'dify.example.com', http: { paths: [path('/v1', 'dify-api'), path('/openapi', 'dify-api'), path('/', 'dify-api')] } }] } };
    expect(fieldChanges(before, after).map(describeChange)).toEqual([
      expect.stringMatching(/^spec\.rules\[host=dify\.example\.com\]\.http\.paths\[path=\/openapi\]: \+ \{"path":"\/openapi","pathType":"Prefix",/),
      'spec.rules[host=dify.example.com].http.paths[path=/].backend.service.name: "dify-web" -> "dify-api"',
    ]);
  });

  test('HTTPRoute rules are known by the paths they match', () => {
    const rule = (value: string, port: number) => ({ matches: [{ path: { type: 'PathPrefix', value } }], backendRefs: [{ name: 'dify-api', port }] });
    expect(fieldChanges({ rules: [rule('/v1', 5001), rule('/', 3000)] }, { rules: [rule('/openapi', 5001), rule('/v1', 5001), rule('/', 3001)] })
      .map(describeChange)).toEqual([
      expect.stringMatching(/^rules\[path=\/openapi\]: \+ \{"matches":\[\{"path":\{"type":"PathPrefix","value":"\/openapi"\}\}\],/),
      'rules[path=/].backendRefs[name=dify-api].port: 3000 -> 3001',
    ]);
  });

  test('tolerations are whole items: one added is one line, a reordering is none', () => {
    const a = { key: 'a', operator: 'Exists', effect: 'NoSchedule' };
    const b = { key: 'b', operator: 'Equal', value: 'x', effect: 'NoSchedule' };
    expect(fieldChanges({ tolerations: [a] }, { tolerations: [b, a] }).map(describeChange))
      .toEqual(['tolerations[0]: + {"key":"b","operator":"Equal","value":"x","effect":"NoSchedule"}']);
    expect(fieldChanges({ tolerations: [a, b] }, { tolerations: [b] }).map(describeChange))
      .toEqual(['tolerations[0]: - {"key":"a","operator":"Exists","effect":"NoSchedule"}']);
    expect(fieldChanges({ tolerations: [a, b] }, { tolerations: [b, a] })).toEqual([]);
  });

  test('a list that appears or goes away is its items, each by its key', () => {
    expect(fieldChanges({ spec: {} }, { spec: { env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] } }).map(describeChange))
      .toEqual(['spec.env[name=A]: + {"name":"A","value":"1"}', 'spec.env[name=B]: + {"name":"B","value":"2"}']);
    expect(fieldChanges({ args: ['x'] }, {}).map(describeChange)).toEqual(['args[0]: - "x"']);
  });
});
