import * as fs from 'fs';

/**
 * Tests that run a real program (PostgreSQL and squid from Debian, helm from scripts/tools.js) need it installed;
 * .ci/run installs them. Without it such a test fails in CI, and elsewhere is skipped with a line that the test
 * summary prints (jest.skipped-reporter.js), never silently.
 */
export function describeWithTool(present: boolean, what: string, install: string): jest.Describe {
  if (present) return describe;
  const message = `${what} is not installed (${install}): its tests cannot run`;
  if (process.env.CI) throw new Error(message);
  if (process.env.DIFY_SKIPPED_FILE) fs.appendFileSync(process.env.DIFY_SKIPPED_FILE, `${message}\n`);
  console.warn(`skipping: ${message}`);
  return describe.skip as jest.Describe;
}
