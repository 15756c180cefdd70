import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';

/** The project root (where package.json is), found the same way from lib/ (tests) and build/lib/ (synth). */
export function projectRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

/** A script or config file that a Job or pod runs, kept as a file in lib/dify/scripts and embedded at synth. */
export function readScript(name: string): string {
  return fs.readFileSync(path.join(projectRoot(), 'lib', 'dify', 'scripts', name), 'utf8');
}

/**
 * A script or config file with its `{{name}}` placeholders filled in. A placeholder without a value, or a value
 * without a placeholder, is a bug in the caller and throws.
 */
export function renderScript(name: string, values: Readonly<Record<string, string>>): string {
  const text = readScript(name);
  for (const key of Object.keys(values)) {
    if (!text.includes(`{{${key}}}`)) throw new Error(`${name} has no placeholder {{${key}}}`);
  }
  const rendered = text.replace(/\{\{(\w+)\}\}/g, (placeholder, key: string) => {
    if (!(key in values)) throw new Error(`${name}: no value for ${placeholder}`);
    return values[key];
  });
  return rendered;
}

/**
 * `<base>-<8 hex digits of the content's hash>`. Jobs are immutable: a Job whose spec changes must get a new name,
 * and an unchanged one must keep its name so that `kubectl apply` is a no-op.
 */
export function hashedName(base: string, content: unknown): string {
  return `${base}-${createHash('sha256').update(JSON.stringify(content)).digest('hex').slice(0, 8)}`;
}
