/**
 * A changed value as one line that shows the change. Cutting both sides at a fixed width printed two identical
 * prefixes for a long `NO_PROXY` or `CELERY_QUEUES`, so a long change is shown by what differs: the items added and
 * removed of a comma-separated list, else the differing part with the common prefix and suffix elided (`…`).
 */

/** The width a value is shown whole up to. */
const WIDTH = 80;
/** Characters kept either side of the differing part, so the reader can tell where in the value it is. */
const CONTEXT = 12;
/** The longest differing part shown whole; a longer one is cut after its first characters. */
const DIFFERING = 40;

/** A value as one short line (its JSON). */
export function shownValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > WIDTH ? `${text.slice(0, WIDTH - 3)}...` : text;
}

/** `old -> new`, whole when both are short; else what differs. */
export function shownChange(old: unknown, now: unknown): string {
  const [before, after] = [JSON.stringify(old) ?? String(old), JSON.stringify(now) ?? String(now)];
  if (before.length <= WIDTH && after.length <= WIDTH) return `${before} -> ${after}`;
  if (typeof old === 'string' && typeof now === 'string') {
    // Elided as text and quoted after, so the quotes stay and an escape is never cut in half.
    return listChange(old, now) ?? elided(old, now).map((side) => JSON.stringify(side)).join(' -> ');
  }
  return elided(before, after).join(' -> ');
}

/** `list of 12 items: + "a", - "b"`, when both are comma-separated lists that differ in their items (not only their order). */
function listChange(old: string, now: string): string | undefined {
  if (!old.includes(',') || !now.includes(',')) return undefined;
  const [before, after] = [old, now].map((text) => text.split(',').map((item) => item.trim()));
  // Items are names, hosts or CIDRs: a value with spaces inside an item (a script, a sentence) is text, not a list.
  if ([...before, ...after].some((item) => /\s/.test(item))) return undefined;
  const added = after.filter((item) => !before.includes(item));
  const removed = before.filter((item) => !after.includes(item));
  if (added.length + removed.length === 0) return undefined;
  const items = [...added.map((item) => `+ ${shownValue(item)}`), ...removed.map((item) => `- ${shownValue(item)}`)];
  return `list of ${after.length} items: ${items.join(', ')}`;
}

/** Both texts with their common prefix and suffix elided around the part that differs. */
function elided(before: string, after: string): [string, string] {
  // Code points, so a cut never splits a character in two.
  const [a, b] = [Array.from(before), Array.from(after)];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start += 1;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end += 1;
  const side = (chars: string[]) => {
    const from = Math.max(0, start - CONTEXT);
    const to = chars.length - Math.max(0, end - CONTEXT);
    const middle = chars.slice(start, chars.length - end);
    // The first differing character is kept, so two cut sides never read the same.
    const shown = middle.length > DIFFERING ? [...middle.slice(0, DIFFERING), '…'] : middle;
    return [from > 0 ? '…' : '', ...chars.slice(from, start), ...shown, ...chars.slice(chars.length - end, to), to < chars.length ? '…' : ''].join('');
  };
  return [side(a), side(b)];
}
