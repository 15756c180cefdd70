import { describeChange } from '../../lib/guard-rails/field-diff';

// A long value cut at a fixed width hid the change: two NO_PROXY values printed as the same 77-character prefix.
describe('a changed long value shows where it differs', () => {
  const hosts = Array.from({ length: 12 }, (_, i) => `host-${i}.corp.example.com`);

  test('a comma-separated list names the items added and removed', () => {
    const old = hosts.join(',');
    const now = [...hosts.slice(0, 5), 'new.corp.example.com', ...hosts.slice(6)].join(',');
    expect(describeChange({ path: 'env[name=NO_PROXY].value', old, new: now }))
      .toBe('env[name=NO_PROXY].value: list of 12 items: + "new.corp.example.com", - "host-5.corp.example.com"');
  });

  test('text with commas inside sentences is no list', () => {
    const text = (word: string) => `${'Some words, and more words. '.repeat(4)}${word}`;
    expect(describeChange({ path: 'data.note', old: text('old'), new: text('new') })).toBe('data.note: "…more words. old" -> "…more words. new"');
  });

  test('another long string: the common prefix and suffix are elided around the part that differs', () => {
    const line = describeChange({ path: 'data.script', old: `${'a'.repeat(100)}OLD${'z'.repeat(100)}`, new: `${'a'.repeat(100)}NEW${'z'.repeat(100)}` });
    expect(line).toBe(`data.script: "…${'a'.repeat(12)}OLD${'z'.repeat(12)}…" -> "…${'a'.repeat(12)}NEW${'z'.repeat(12)}…"`);
  });

  test('the same items in another order are no list change, and the two sides never print the same', () => {
    const line = describeChange({ path: 'env[name=CELERY_QUEUES].value', old: hosts.join(','), new: [...hosts.slice(0, 10), hosts[11], hosts[10]].join(',') });
    const [old, now] = line.replace(/^[^:]+: /, '').split(' -> ');
    expect(old).not.toBe(now);
  });

  test('a differing part too long to show whole is cut, and still tells the two apart', () => {
    const line = describeChange({ path: 'data.script', old: `${'p'.repeat(100)}${'x'.repeat(300)}`, new: `${'p'.repeat(100)}${'y'.repeat(300)}` });
    const [old, now] = line.replace(/^[^:]+: /, '').split(' -> ');
    expect(old).not.toBe(now);
    expect(line.length).toBeLessThan(200);
  });
});
