/**
 * Running helm, which is input like any other: the binary is checked to be a helm 3 the platform supports, and every
 * call has a time limit. `helm template` is run here rather than through cdk8s's Helm construct (the same command
 * and arguments) because that construct waits for helm without a limit; its output is loaded by cdk8s's Include, as
 * the construct does.
 */
import { spawnSync, SpawnSyncOptions } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { Yaml } from 'cdk8s';
import { ChartProblem } from './chart-problem';

/** The helm releases whose `template` the platform renders with: 3.8 (OCI charts GA) up to the last 3.x. */
const SUPPORTED_HELM = 'helm 3.8 or a later 3.x';
const MIN_HELM_MINOR = 8;

/** How long one `helm template` may take, unless DIFY_HELM_TIMEOUT_SECONDS says otherwise. */
const DEFAULT_RENDER_SECONDS = 120;
const VERSION_SECONDS = 15;
/** helm's output is read whole; a Dify chart renders well under a megabyte. */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export interface HelmTemplateInputs {
  readonly releaseName: string;
  readonly namespace: string;
  readonly values: Record<string, unknown>;
  readonly helmFlags: readonly string[];
}

/** The time limit of a render, in seconds. */
export function renderTimeoutSeconds(environment: NodeJS.ProcessEnv = process.env): number {
  const given = environment.DIFY_HELM_TIMEOUT_SECONDS;
  if (given === undefined || given === '') return DEFAULT_RENDER_SECONDS;
  if (!/^[1-9][0-9]{0,4}$/.test(given)) {
    throw new ChartProblem('DIFY_HELM_TIMEOUT_SECONDS', given, `DIFY_HELM_TIMEOUT_SECONDS is "${given}": it must be a whole number of seconds from 1 to 99999`);
  }
  return Number(given);
}

/**
 * Runs helm with a time limit. A helm that fails, hangs or cannot start is an Error in helm's own words (its stderr,
 * one line each), which the chart tier reports against the chart. helm runs in a process group of its own, which is
 * killed whole once it returns: a helm (or a plugin or post-renderer) that started children and was stopped, or
 * left them behind, leaves nothing running.
 */
function runHelm(helm: string, args: readonly string[], seconds: number, what: string): Buffer {
  // `detached` (a new session and process group) is honoured by spawnSync though its typings leave it out.
  const options: SpawnSyncOptions & { detached: boolean } = { timeout: seconds * 1000, killSignal: 'SIGKILL', maxBuffer: MAX_OUTPUT_BYTES, detached: true };
  const run = spawnSync(helm, args, options);
  killGroup(run.pid);
  const code = (run.error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ETIMEDOUT') {
    throw new Error(`helm did not finish ${what} within ${seconds} s and was stopped (DIFY_HELM_TIMEOUT_SECONDS sets the limit of a render)`);
  }
  if (code === 'ENOBUFS') {
    throw new Error(`helm printed more than ${MAX_OUTPUT_BYTES / 1024 / 1024} MiB ${what} and was stopped: no Dify chart renders that much`);
  }
  if (run.error) throw new Error(`helm could not run ${what}: ${run.error.message}`);
  if (run.status !== 0) throw new Error(run.stderr.toString().trim() || `helm failed ${what}: exit status ${run.status ?? run.signal}`);
  return run.stdout as Buffer;
}

/** Kills what is left of a process group (none when helm started nothing and exited). */
function killGroup(pid: number | undefined): void {
  if (!pid) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // ESRCH: the group is gone already.
  }
}

/** The helm version, when `helm` is a helm the platform supports; otherwise a ChartProblem saying what it is. */
export function checkHelm(helm: string): string {
  let said: string;
  try {
    said = runHelm(helm, ['version', '--short'], VERSION_SECONDS, 'to say its version').toString().trim();
  } catch (error) {
    throw new ChartProblem('dify.chart', helm, `it is no working helm: ${(error as Error).message.split('\n').slice(-1)[0]}`);
  }
  const version = /^v(\d+)\.(\d+)\.(\d+)\S*$/.exec(said.split('\n')[0] ?? '');
  if (!version) {
    throw new ChartProblem('dify.chart', helm, `it does not answer \`version --short\` as helm does (it said "${said.slice(0, 80)}"): use ${SUPPORTED_HELM}`);
  }
  const [major, minor] = [Number(version[1]), Number(version[2])];
  if (major !== 3 || minor < MIN_HELM_MINOR) {
    throw new ChartProblem('dify.chart', helm, `it is helm v${major}.${minor}.${version[3]}: use ${SUPPORTED_HELM}`);
  }
  return version[0];
}

/**
 * `helm template` of `chartDir` into a file in `scratch` (the arguments cdk8s's Helm construct passes), refused when
 * helm fails, hangs, or prints nothing.
 */
export function helmTemplate(helm: string, chartDir: string, scratch: string, inputs: HelmTemplateInputs): string {
  const args = ['template'];
  if (Object.keys(inputs.values).length > 0) {
    const valuesFile = path.join(scratch, 'overrides.yaml');
    fs.writeFileSync(valuesFile, Yaml.stringify(inputs.values));
    args.push('-f', valuesFile);
  }
  args.push('--namespace', inputs.namespace, ...inputs.helmFlags, inputs.releaseName, chartDir);
  const output = runHelm(helm, args, renderTimeoutSeconds(), 'to render the chart');
  if (output.toString().trim() === '') throw new Error('helm rendered nothing for the chart: no object to deploy');
  const file = path.join(scratch, 'rendered.yaml');
  fs.writeFileSync(file, output);
  return file;
}
