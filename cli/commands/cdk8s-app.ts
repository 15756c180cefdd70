/**
 * The app command of cdk8s.yaml. `cdk8s synth` deletes its output folder before it runs the app, so that folder
 * is build/cdk8s.out (cdk8s.yaml), never dist/: the app runs the pipeline of `npm run synth` (cli/synth-pipeline.ts:
 * guard rails, all files or none into dist/, a user's own files kept), then copies the published platform files
 * into the CLI's folder, which the CLI lists (and prints with --stdout). A refusal exits 1 with dist/ untouched.
 */
import * as fs from 'fs';
import * as path from 'path';
import { described } from '../errors';
import { distDirFromEnv } from '../library';
import { synthesizeAndPublish } from '../synth-pipeline';
import { removedLine } from './synth';

function main(): number {
  const distDir = distDirFromEnv();
  const { status, published, removed = [] } = synthesizeAndPublish({ distDir, allowDestructive: process.env.DIFY_ALLOW_DESTRUCTIVE === 'true' });
  if (status !== 0) return status;
  const outdir = path.resolve(process.env.CDK8S_OUTDIR ?? path.join('build', 'cdk8s.out'));
  fs.mkdirSync(outdir, { recursive: true });
  for (const file of published) {
    // Platform files only: the CLI lists every *.yaml it finds, and the kustomization is no manifest.
    if (file.endsWith('.k8s.yaml') && path.resolve(path.dirname(file)) !== outdir) fs.copyFileSync(file, path.join(outdir, path.basename(file)));
  }
  for (const file of removed) console.error(removedLine(file));
  console.error(`published into ${path.relative(process.cwd(), distDir) || distDir}/ (the files the CLI lists below are copies)`);
  return 0;
}

/** The command (it takes no arguments: cdk8s passes none). */
export function run(): void {
  try {
    process.exitCode = main();
  } catch (error) {
    console.error(`synth failed: ${described(error)}`);
    process.exitCode = 1;
  }
}
