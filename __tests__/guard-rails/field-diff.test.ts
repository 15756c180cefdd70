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

  test('unnamed lists are compared by index, or whole when their length changes; keys that are no plain names are quoted', () => {
    expect(fieldChanges({ args: ['a', 'b'] }, { args: ['a', 'c'] }).map(describeChange)).toEqual(['args[1]: "b" -> "c"']);
    expect(fieldChanges({ args: ['a'] }, { args: ['a', 'b'] }).map(describeChange)).toEqual(['args: ["a"] -> ["a","b"]']);
    expect(fieldChanges({ metadata: { labels: { 'app.kubernetes.io/version': '1' } } }, { metadata: { labels: { 'app.kubernetes.io/version': '2' } } })
      .map(describeChange)).toEqual(['metadata.labels["app.kubernetes.io/version"]: "1" -> "2"']);
  });

  test('nothing for equal objects; long values are cut to one line', () => {
    expect(fieldChanges({ a: [1, { b: 2 }] }, { a: [1, { b: 2 }] })).toEqual([]);
    expect(describeChange({ path: 'data.script', old: 'x'.repeat(200), new: 'y' })).toMatch(/^data\.script: "x{76}\.\.\. -> "y"$/);
  });

  test('a change of labels alone is told apart from any other', () => {
    expect(onlyLabels(fieldChanges({ metadata: { labels: { a: '1' } } }, { metadata: { labels: { a: '2' } } }))).toBe(true);
    expect(onlyLabels(fieldChanges({ metadata: { labels: { a: '1' } }, spec: 1 }, { metadata: { labels: { a: '2' } }, spec: 2 }))).toBe(false);
    expect(onlyLabels([])).toBe(false);
  });
});
