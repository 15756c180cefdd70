import * as fs from 'fs';

/**
 * Something a test needs is not on this machine: in CI (where .ci/run installs every program and lays the
 * third-party folder beside the clone) that is a failure; elsewhere the test is skipped with a line that the test
 * summary prints (jest.skipped-reporter.js), never silently.
 */
export function recordMissing(message: string): void {
  if (process.env.CI) throw new Error(message);
  if (process.env.DIFY_SKIPPED_FILE) fs.appendFileSync(process.env.DIFY_SKIPPED_FILE, `${message}\n`);
  console.warn(`skipping: ${message}`);
}

/**
 * Tests that run a real program (PostgreSQL and squid from Debian, helm from scripts/tools.js) need it installed;
 * .ci/run installs them.
 */
export function describeWithTool(present: boolean, what: string, install: string): jest.Describe {
  if (present) return describe;
  recordMissing(`${what} is not installed (${install}): its tests cannot run`);
  return describe.skip as jest.Describe;
}

/** Tests that render a community chart: helm is unpacked by the tests' global setup, which names it in DIFY_HELM. */
export const describeWithHelm = describeWithTool(Boolean(process.env.DIFY_HELM), 'helm (DIFY_HELM)', 'node scripts/tools.js helm, done by the tests\' global setup');

/**
 * Something a test needs cannot be had by any install step (a module the Go module proxy refuses): said in the
 * summary's skipped lines everywhere, CI included, since failing CI would change nothing about it.
 */
export function recordUnavailable(message: string): void {
  if (process.env.DIFY_SKIPPED_FILE) fs.appendFileSync(process.env.DIFY_SKIPPED_FILE, `${message}\n`);
  console.warn(`skipping: ${message}`);
}
