/**
 * The settings guide's table of each Dify version's Celery queues: a user names queues in `dify.worker.pools` from
 * it, and the installed package holds no lib/dify/features.ts to read them in, so the table must be that file's lists.
 */
import * as fs from 'fs';
import * as path from 'path';
import { DIFY_RELEASES, difyFeatures } from '../../lib/dify/features';

const GUIDE = path.join(__dirname, '..', '..', 'docs', 'settings-guide.md');

/** `| 1.14.0, 1.14.1 | \`a\`, \`b\` |` rows under the `| versions | Celery queues |` header, as version -> queues. */
function tableRows(page: string): Map<string, string[]> {
  const rows = new Map<string, string[]>();
  const table = page.split('\n| versions | Celery queues |\n')[1]?.split('\n\n')[0] ?? '';
  for (const line of table.split('\n').slice(1)) {
    const [versions, queues] = line.split('|').slice(1, 3).map((cell) => cell.trim());
    for (const version of versions.split(', ')) rows.set(version, queues.split(', ').map((queue) => queue.replace(/`/g, '')));
  }
  return rows;
}

test('the settings guide lists every supported version\'s queues, as the platform sets them', () => {
  const rows = tableRows(fs.readFileSync(GUIDE, 'utf8'));
  const expected = new Map(Object.keys(DIFY_RELEASES).map((version) => [version, [...difyFeatures(version).workerQueues]]));
  expect(rows).toEqual(expected);
});
