/**
 * How a plan is printed, for `plan` against dist/ and `plan --live` against a cluster alike: a count, then each
 * object (`+` create, `~` change with its fields, `-` delete, `>` moves between two files of the folder and stays in
 * the cluster), those that hold data and those that restart pods marked; objects whose only change is a label are
 * one line together.
 */
import { PlannedChange } from '../guard-rails';
import { describeChange, onlyLabels } from '../guard-rails/field-diff';

const MARKS = { create: '+', change: '~', delete: '-' } as const;
const moved = (c: PlannedChange) => c.movedFrom !== undefined || c.movedTo !== undefined;

/** `2 to create, 3 to change (2 restart pods), 1 to delete`, and the moves when there are any. */
export function countsOf(changes: readonly PlannedChange[], deleteWord = 'to delete'): string {
  const count = (test: (c: PlannedChange) => boolean) => changes.filter(test).length;
  const [movingIn, movingOut] = [count((c) => c.movedFrom !== undefined), count((c) => c.movedTo !== undefined)];
  const rolling = count((c) => c.rollsPods !== undefined);
  return [
    `${count((c) => c.action === 'create' && !moved(c))} to create`,
    `${count((c) => c.action === 'change' && !moved(c))} to change${rolling > 0 ? ` (${rolling} restart${rolling === 1 ? 's' : ''} pods)` : ''}`,
    `${count((c) => c.action === 'delete' && !moved(c))} ${deleteWord}`,
    ...(movingIn > 0 ? [`${movingIn} moving in from another file`] : []),
    ...(movingOut > 0 ? [`${movingOut} moving out to another file`] : []),
  ].join(', ');
}

/** Each change as its lines, indented under a platform's header line. */
export function changeLines(changes: readonly PlannedChange[]): string[] {
  // A pod template's labels are no label-only change: the object is shown, marked as rolling its pods.
  const labelOnly = changes.filter((c) => c.action === 'change' && !c.risky && !c.rollsPods && onlyLabels(c.fields ?? []));
  const shown = changes.filter((c) => !labelOnly.includes(c));
  const labelChanges = [...new Set(labelOnly.flatMap((c) => (c.fields ?? []).map(describeChange)))];
  const marks = (c: PlannedChange) => [...(c.risky ? ['holds data'] : []), ...(c.rollsPods ? [c.rollsPods] : [])];
  return [
    ...shown.flatMap((c) => [
      moved(c) ? `  > ${c.object}   ${c.movedFrom ? `moves here from ${c.movedFrom}` : `moves to ${c.movedTo}`}, and stays in the cluster`
        : `  ${MARKS[c.action]} ${c.object}${marks(c).length > 0 ? `   <- ${marks(c).join('; ')}` : ''}`,
      ...(c.fields ?? []).map((field) => `      ${describeChange(field)}`),
    ]),
    ...(labelOnly.length > 0 ? [`  ~ ${labelOnly.length} more object${labelOnly.length === 1 ? '' : 's'} change only labels: ${labelChanges.join('; ')}`] : []),
  ];
}
