/**
 * The documentation pages: docs/configuration.md is what scripts/config-reference.js writes from the JSON Schema now
 * (so the reference never drifts from the settings), and every relative link of the README and docs/ reaches a file
 * that exists, and a heading of it when the link names one.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const ROOT = path.join(__dirname, '..', '..');
// Plain Node, dev-time: required as the npm script runs it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const reference: { render(schema: unknown): string; SCHEMA: string; OUT: string } = require('../../scripts/config-reference.js');

describe('the configuration reference', () => {
  test('docs/configuration.md is what npm run docs writes from the schema now', () => {
    const expected = reference.render(JSON.parse(fs.readFileSync(reference.SCHEMA, 'utf8')));
    const stale = 'docs/configuration.md is stale: run npm run docs';
    expect(fs.readFileSync(reference.OUT, 'utf8') === expected ? 'current' : stale).toBe('current');
  });

  test('npm run docs -- --check says the same, by its exit status', () => {
    const check = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'config-reference.js'), '--check'], { encoding: 'utf8' });
    expect({ status: check.status, stderr: check.stderr }).toEqual({ status: 0, stderr: '' });
  });

  test('every top-level setting has its section, and every setting with documentation is in it', () => {
    const schema = JSON.parse(fs.readFileSync(reference.SCHEMA, 'utf8'));
    const page = fs.readFileSync(reference.OUT, 'utf8');
    for (const key of Object.keys(schema.properties)) expect(page).toContain(`\n## ${key}\n`);
    expect(page).toContain('- **`dify.api.replicas`**');
    expect(page).toContain('- **`postgresql.backup.schedule`**');
  });

  test('another schema gives another page, the difference --check reports', () => {
    const render = reference.render({ properties: { namespace: { type: 'string', description: 'x\n\nDefault: \'dify\'' } } });
    expect(render).toContain('- **`namespace`**: string; default: \'dify\'');
    expect(render).not.toBe(fs.readFileSync(reference.OUT, 'utf8'));
  });
});

/** GitHub's anchor of a heading: lowercase, punctuation dropped, spaces to dashes; a repeated one gets -1, -2... */
function anchors(markdown: string): Set<string> {
  const seen = new Map<string, number>();
  const result = new Set<string>();
  let inFence = false;
  for (const line of markdown.split('\n')) {
    if (line.startsWith('```')) inFence = !inFence;
    const heading = !inFence && /^#{1,6} (.*)$/.exec(line);
    if (!heading) continue;
    const base = heading[1].trim().toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, '').replace(/ /g, '-');
    const count = seen.get(base) ?? 0;
    seen.set(base, count + 1);
    result.add(count ? `${base}-${count}` : base);
  }
  return result;
}

describe('the links of the README and docs/', () => {
  const pages = ['README.md', ...fs.readdirSync(path.join(ROOT, 'docs')).filter((file) => file.endsWith('.md')).map((file) => `docs/${file}`)];

  test('the README links every page of docs/', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const missing = pages.filter((page) => page !== 'README.md' && !readme.includes(`](${page}`));
    expect(missing).toEqual([]);
  });

  test('every relative link reaches a file that exists, and a heading of it when it names one', () => {
    const broken: string[] = [];
    for (const page of pages) {
      const text = fs.readFileSync(path.join(ROOT, page), 'utf8').replace(/```[\s\S]*?```/g, '');
      for (const [, target] of text.matchAll(/\]\(([^)\s]+)\)/g)) {
        if (/^[a-z]+:/.test(target)) continue;
        const [file, anchor] = target.split('#');
        const resolved = file ? path.join(path.dirname(path.join(ROOT, page)), file) : path.join(ROOT, page);
        if (!fs.existsSync(resolved)) {
          broken.push(`${page}: ${target} (no such file)`);
        } else if (anchor && resolved.endsWith('.md') && !anchors(fs.readFileSync(resolved, 'utf8')).has(anchor)) {
          broken.push(`${page}: ${target} (no such heading)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });
});
