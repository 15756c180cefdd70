import * as fs from 'fs';
import * as path from 'path';

/**
 * The shared folder beside the project (CRDs, seed objects). Tests that read it fail in CI when it is missing, and
 * are skipped elsewhere with a note, so `npm test` still runs on a machine that has only the repo.
 */
export const SHARED_DIR = path.resolve(process.env.SHARED_DIR ?? path.join(__dirname, '..', '..', '..', 'shared'));

export function hasShared(): boolean {
  if (fs.existsSync(SHARED_DIR)) return true;
  if (process.env.CI) throw new Error(`CI needs the shared folder at ${SHARED_DIR} (set SHARED_DIR)`);
  console.warn(`skipping: no shared folder at ${SHARED_DIR}`);
  return false;
}

/** `describe` that runs only when the shared folder is there (and fails in CI when it is not). */
export const describeWithShared: jest.Describe = (hasShared() ? describe : describe.skip) as jest.Describe;
