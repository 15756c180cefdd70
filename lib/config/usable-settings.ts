import { z } from 'zod';

/** Enough rounds for settings nested a few levels deep; each round removes every value the schema refused. */
const MAX_ROUNDS = 16;

/**
 * The settings of `input` that the schema accepts: every refused value is removed (an array entry is taken out of
 * its list) until what remains parses, so that the checks across settings can still run and report their problems
 * in the same run. Undefined when nothing usable is left.
 */
export function usableSettings<T>(schema: z.ZodType<T>, input: unknown): T | undefined {
  let candidate: unknown = structuredClone(input);
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const result = schema.safeParse(candidate);
    if (result.success) return result.data;
    // Deepest and last entries first, so removing one does not shift the index of another.
    const issues = [...result.error.issues].sort((a, b) => comparePaths(b.path, a.path));
    for (const issue of issues) {
      if (issue.path.length === 0 && issue.code !== 'unrecognized_keys') return undefined;
      const keys = issue.code === 'unrecognized_keys' ? issue.keys.map((key) => [...issue.path, key]) : [issue.path];
      for (const path of keys) candidate = removeAt(candidate, path);
    }
  }
  return undefined;
}

function comparePaths(a: readonly PropertyKey[], b: readonly PropertyKey[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (a[i] === b[i]) continue;
    return typeof a[i] === 'number' && typeof b[i] === 'number' ? (a[i] as number) - (b[i] as number) : String(a[i]).localeCompare(String(b[i]));
  }
  return a.length - b.length;
}

function removeAt(root: unknown, path: readonly PropertyKey[]): unknown {
  if (path.length === 0) return undefined;
  let parent: unknown = root;
  for (const part of path.slice(0, -1)) {
    if (parent === null || typeof parent !== 'object') return root;
    parent = (parent as Record<PropertyKey, unknown>)[part];
  }
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
  else if (parent !== null && typeof parent === 'object') delete (parent as Record<PropertyKey, unknown>)[last];
  return root;
}
