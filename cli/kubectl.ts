/**
 * kubectl for `plan --live`: DIFY_KUBECTL, else kubectl on the PATH, else the pinned one of scripts/tools.js. Every
 * call is bounded (the API server's own request time-out and a process time-out above it), and a failure is an
 * Error of one line: what was asked and kubectl's first error line.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { PACKAGE_ROOT } from './project-dir';

/** How long one request may take on the server, and the whole kubectl process. */
const REQUEST_TIMEOUT = '30s';
const PROCESS_TIMEOUT_MS = 60000;

/** The kubectl binary to run. */
export function kubectlPath(): string {
  if (process.env.DIFY_KUBECTL) return process.env.DIFY_KUBECTL;
  const onPath = (process.env.PATH ?? '').split(path.delimiter).map((dir) => path.join(dir, 'kubectl'))
    .find((file) => fs.existsSync(file) && fs.statSync(file).isFile());
  if (onPath) return onPath;
  const tools = require(path.join(PACKAGE_ROOT, 'scripts', 'tools.js')) as { toolPath(tool: string): string };
  return tools.toolPath('kubectl');
}

export interface Kubectl {
  /** kubectl's stdout; throws a one-line Error when it fails or times out. */
  (args: readonly string[], what: string): string;
}

/** A runner of `binary` with a request time-out on every call. */
export function kubectl(binary: string): Kubectl {
  return (args, what) => {
    const run = spawnSync(binary, [`--request-timeout=${REQUEST_TIMEOUT}`, ...args], {
      encoding: 'utf8', timeout: PROCESS_TIMEOUT_MS, maxBuffer: 512 * 1024 * 1024,
    });
    if (run.error) {
      const timedOut = (run.error as NodeJS.ErrnoException).code === 'ETIMEDOUT';
      throw new Error(`${what}: ${timedOut ? `kubectl did not finish within ${PROCESS_TIMEOUT_MS / 1000} s` : run.error.message}`);
    }
    if (run.status !== 0) {
      const line = run.stderr.split('\n').find((text) => text.trim() && !/^(W\d{4} |Warning: )/.test(text)) ?? `kubectl exited ${run.status}`;
      throw new Error(`${what}: ${line.trim()}`);
    }
    return run.stdout;
  };
}
