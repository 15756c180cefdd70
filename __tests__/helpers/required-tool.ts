/**
 * Tests that run a real program from Debian (PostgreSQL, squid) need it installed; .ci/run installs them. Without
 * it such a test fails in CI and is skipped elsewhere with a note, never silently.
 */
export function describeWithTool(present: boolean, what: string, install: string): jest.Describe {
  if (present) return describe;
  const message = `${what} is not installed (${install}): its tests cannot run`;
  if (process.env.CI) throw new Error(message);
  console.warn(`skipping: ${message}`);
  return describe.skip as jest.Describe;
}
