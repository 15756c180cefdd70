/**
 * YAML a user hands in (a config file, a chart's values file) is read with limits and refused whole when it is not
 * plain data: one line naming the file and what is wrong, never the file's content (it may be a credential, or
 * something read through a link such as /proc/self/environ).
 * - a regular file, at most `maxBytes`, UTF-8 text without control characters (a binary, a device or an
 *   environment dump is no YAML a person wrote);
 * - no YAML error or warning: an unknown tag (`!custom`) is refused, not dropped;
 * - at most MAX_ALIAS_COUNT alias expansions: a file built to expand aliases exponentially (a "billion laughs")
 *   is refused instead of exhausting memory;
 * - no `__proto__`, `constructor` or `prototype` key at any depth: such a key is no setting, and code that merges
 *   plain objects must never meet one.
 */
import * as fs from 'fs';
import { parseDocument } from 'yaml';
import { ConfigError } from './config-error';

/** YAML aliases may be expanded this often in one file. A real config or values file has none or a few. */
export const MAX_ALIAS_COUNT = 100;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);
/** Control characters other than tab, line feed and carriage return (and the byte order mark, which YAML allows). */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

function refuse(display: string, why: string): never {
  throw new ConfigError([`${display}: ${why}`]);
}

/** Why a file system call failed, in words (no stack, no errno jargon alone). */
export function describeFsError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = {
    ENOENT: 'does not exist',
    EACCES: 'cannot be read (permission denied)',
    EPERM: 'cannot be read (permission denied)',
    EISDIR: 'is a folder, not a file',
    ENOTDIR: 'is a file, not a folder',
    ELOOP: 'is a symlink loop',
  };
  return (code && reasons[code]) ?? (error as Error).message;
}

/** The text of a user's file, read with the limits above; a ConfigError naming `display` otherwise. */
export function readUserText(file: string, display: string, maxBytes: number, kind = 'a YAML file'): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch (error) {
    const dangling = (error as NodeJS.ErrnoException).code === 'ENOENT' && fs.lstatSync(file, { throwIfNoEntry: false })?.isSymbolicLink();
    return refuse(display, dangling ? 'is a dangling symlink (its target does not exist)' : describeFsError(error));
  }
  if (!stat.isFile()) refuse(display, `is ${stat.isDirectory() ? 'a folder' : 'not a regular file'}, not ${kind}`);
  if (stat.size > maxBytes) refuse(display, `is ${stat.size} bytes; at most ${maxBytes} are read`);
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (error) {
    return refuse(display, describeFsError(error));
  }
  // Files of /proc say size 0 and then hold more: the limit holds for what was read, too.
  if (bytes.length > maxBytes) refuse(display, `holds more than ${maxBytes} bytes; at most ${maxBytes} are read`);
  return textOf(bytes, display);
}

/** UTF-8 text without control characters, or a ConfigError. */
export function textOf(bytes: Buffer, display: string): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return refuse(display, 'is not UTF-8 text (save it as UTF-8)');
  }
  if (CONTROL.test(text)) refuse(display, 'holds control characters: it is no YAML file a person wrote');
  return text;
}

/** The first key at any depth that may not be a setting, as a path, or undefined. */
function forbiddenKey(value: unknown, at: string): string | undefined {
  if (value === null || typeof value !== 'object') return undefined;
  for (const key of Object.keys(value)) {
    const where = Array.isArray(value) ? `${at}[${key}]` : (at ? `${at}.${key}` : key);
    if (!Array.isArray(value) && FORBIDDEN_KEYS.has(key)) return where;
    const inner = forbiddenKey((value as Record<string, unknown>)[key], where);
    if (inner) return inner;
  }
  return undefined;
}

/** A YAML document's plain value; a ConfigError (one line, with the position) when it is not plain data. */
export function parseUserYaml(text: string, display: string): unknown {
  const document = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  const problem = document.errors[0] ?? document.warnings[0];
  if (problem) {
    const position = problem.linePos ? `:${problem.linePos[0].line}:${problem.linePos[0].col}` : '';
    const reason = problem.message.split('\n')[0].replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError([`${display}${position}: not valid YAML: ${reason}`]);
  }
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    throw new ConfigError([`${display}: not usable YAML: ${(error as Error).message.split('\n')[0]} (at most ${MAX_ALIAS_COUNT} alias expansions)`]);
  }
  const key = forbiddenKey(value, '');
  if (key) refuse(display, `${key}: a key named ${key.split(/[.[]/).pop()?.replace(']', '')} is no setting, and is refused`);
  return value;
}
