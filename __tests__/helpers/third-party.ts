/**
 * The third-party material some tests compare our tables and output with (the CRDs, KubeBlocks' StorageProviders,
 * the community chart packages, the KubeBlocks addon charts). None of it is in the repository: it lies beside the
 * checkout (scripts/third-party.js says where). A user's clone has none: those tests are listed as skipped; in CI,
 * where .ci/run names the folder, a missing file fails.
 */
import * as fs from 'fs';
import * as path from 'path';
import { recordMissing } from './required-tool';

// A dev-time JavaScript module, shared with npm run import and the benchmark.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { thirdPartyDir } = require('../../scripts/third-party') as { thirdPartyDir(): string | undefined };

/** The third-party folder, or undefined in a clone with nothing beside it. */
export const THIRD_PARTY_DIR: string | undefined = thirdPartyDir();

/** Whether every one of these files (relative to the folder) is there. */
export function hasThirdParty(...files: string[]): boolean {
  return THIRD_PARTY_DIR !== undefined && files.every((file) => fs.existsSync(path.join(THIRD_PARTY_DIR!, file)));
}

/** A file of the third-party folder; only call it where {@link hasThirdParty} said it is there. */
export function thirdPartyFile(...parts: string[]): string {
  if (THIRD_PARTY_DIR === undefined) throw new Error(`no third-party folder for ${parts.join('/')}`);
  return path.join(THIRD_PARTY_DIR, ...parts);
}

function missingMessage(what: string, files: string[]): string {
  const where = THIRD_PARTY_DIR ?? 'the third-party folder (../shared/third-party beside the checkout, or DIFY_THIRD_PARTY)';
  return `${what}: ${files.join(', ')} not found in ${where}`;
}

/** `describe` when the files are there; otherwise skipped with a line in the summary (a failure in CI). */
export function describeWithThirdParty(what: string, ...files: string[]): jest.Describe {
  if (hasThirdParty(...files)) return describe;
  recordMissing(missingMessage(what, files));
  return describe.skip as jest.Describe;
}

/** The entries whose third-party files are there; the others recorded as skipped (a failure in CI). */
export function withThirdParty<T>(what: string, files: string[], entries: () => T[]): T[] {
  if (hasThirdParty(...files)) return entries();
  recordMissing(missingMessage(what, files));
  return [];
}
