/**
 * Fault injection for the tests of publishing (__tests__/scripts/synth-publish.test.ts), by environment variable:
 * nothing happens unless one is set.
 */

/** The steps of synth where DIFY_SYNTH_FAULT=<step> kills it. */
export type FaultStep = 'after-build' | 'after-synth' | 'after-first-file' | 'before-stale-removal';

/** DIFY_SYNTH_FAULT=<step> dies here, as `kill -9` would. */
export function faultPoint(step: FaultStep): void {
  if (process.env.DIFY_SYNTH_FAULT === step) process.kill(process.pid, 'SIGKILL');
}

/** A file-system fault: DIFY_SYNTH_FAIL_MOVE=<file> makes moving that file fail, as EACCES would. */
export function failPoint(file: string): void {
  if (process.env.DIFY_SYNTH_FAIL_MOVE === file) throw Object.assign(new Error(`EACCES: permission denied, rename '${file}'`), { code: 'EACCES' });
}
