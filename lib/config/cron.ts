/**
 * Backup schedules as KubeBlocks reads them: a standard five-field cron expression (minute, hour, day of month,
 * month, day of week), each field `*`, a value, a range or a list of them, optionally with a `/step`. A field out of
 * its range (`99 99 99 99 99`) is refused here instead of leaving a BackupSchedule that never runs.
 */

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  /** Names the field takes for its values (JAN..DEC, SUN..SAT), from min on. */
  readonly names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'] },
  // 7 is Sunday as well as 0.
  { name: 'day of week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

/** Why `expression` is not a five-field cron expression, or undefined when it is one. */
export function cronProblem(expression: string): string | undefined {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) return `has ${parts.length} fields; a cron expression has five: minute hour day-of-month month day-of-week`;
  for (const [index, part] of parts.entries()) {
    const problem = fieldProblem(part, FIELDS[index]);
    if (problem) return `its ${FIELDS[index].name} field "${part}" ${problem}`;
  }
  return undefined;
}

function fieldProblem(part: string, field: Field): string | undefined {
  for (const item of part.split(',')) {
    const match = /^([^/]+)(?:\/(\d+))?$/.exec(item);
    if (!match) return 'is not a value, range or step';
    const [, range, step] = match;
    if (step !== undefined && Number(step) < 1) return 'has a step of 0';
    if (range === '*') continue;
    const bounds = range.split('-');
    if (bounds.length > 2) return 'is not a value, range or step';
    const values = bounds.map((bound) => valueOf(bound, field));
    if (values.some((value) => value === undefined)) return `must hold values from ${field.min} to ${field.max}${field.names ? ` or ${field.names[0]}..${field.names[field.names.length - 1]}` : ''}`;
    if (values.length === 2 && values[0]! > values[1]!) return 'has a range that runs backwards';
  }
  return undefined;
}

function valueOf(text: string, field: Field): number | undefined {
  const named = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (named >= 0) return field.min + named;
  if (!/^\d+$/.test(text)) return undefined;
  const value = Number(text);
  return value >= field.min && value <= field.max ? value : undefined;
}
