/**
 * helm is input: programs that pose as helm (scripts written here) must be refused in one line, never hang synth
 * or pass an empty render on as a platform without its app.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { checkHelm, helmTemplate, renderTimeoutSeconds } from '../../../lib/dify/chart/helm-run';
import { DifyPlatform } from '../../../lib';
import { testChart } from '../../helpers/synth';
import { copyOfChart } from '../../helpers/platforms';
import { describeWithCommunityCharts } from '../../helpers/community-charts';
import { fingerprint, runSynth, tempDir } from '../../helpers/pipeline';

/** A program that answers `version` with `version` and `template` with `template` (shell snippets). */
function fakeHelm(version: string, template: string): string {
  const file = path.join(tempDir('helm-run-'), 'helm');
  fs.writeFileSync(file, `#!/bin/sh\ncase "$1" in\n  version) ${version} ;;\n  template) ${template} ;;\nesac\n`, { mode: 0o755 });
  return file;
}

const HELM_3 = 'echo v3.16.4+g7877b45';
const INPUTS = { releaseName: 'dify', namespace: 'dify', values: { a: 1 }, helmFlags: ['--skip-tests'] };

describe('which helm is accepted', () => {
  test.each([
    ['/bin/true', 'true', 'it does not answer `version --short` as helm does (it said "")'],
    ['garbage', 'echo hello world', 'it does not answer `version --short` as helm does (it said "hello world")'],
    ['helm 2', 'echo v2.17.0+ga690bad', 'it is helm v2.17.0: use helm 3.8 or a later 3.x'],
    ['helm 3.7', 'echo v3.7.2+g663a896', 'it is helm v3.7.2: use helm 3.8 or a later 3.x'],
    ['helm 4', 'echo v4.0.1+g12500dd', 'it is helm v4.0.1: use helm 3.8 or a later 3.x'],
    ['a failing binary', 'echo broken >&2; exit 3', 'it is no working helm: broken'],
  ])('%s is refused', (_case, version, message) => {
    const helm = fakeHelm(version, 'true');
    expect(() => checkHelm(helm)).toThrow(`dify.chart: ${message}`);
  });

  test('helm 3.8 and later 3.x are accepted, by version', () => {
    expect(checkHelm(fakeHelm(HELM_3, 'true'))).toBe('v3.16.4+g7877b45');
    expect(checkHelm(fakeHelm('echo v3.8.0', 'true'))).toBe('v3.8.0');
  });
});

describe('helm template', () => {
  test('passes the arguments cdk8s\'s Helm construct passes, values in a file', () => {
    const helm = fakeHelm(HELM_3, 'echo "$@" > "$(dirname "$0")/args"; echo "kind: ConfigMap"');
    const scratch = tempDir('helm-run-');

    const file = helmTemplate(helm, '/charts/dify', scratch, INPUTS);

    expect(fs.readFileSync(path.join(path.dirname(helm), 'args'), 'utf8').trim())
      .toBe(`template -f ${scratch}/overrides.yaml --namespace dify --skip-tests dify /charts/dify`);
    expect(fs.readFileSync(file, 'utf8')).toBe('kind: ConfigMap\n');
  });

  test('an empty render is refused', () => {
    const helm = fakeHelm(HELM_3, 'true');
    expect(() => helmTemplate(helm, '/c', tempDir('helm-run-'), INPUTS)).toThrow('helm rendered nothing for the chart: no object to deploy');
  });

  test('a render that never returns is stopped at the limit', () => {
    const helm = fakeHelm(HELM_3, 'exec sleep 30');
    process.env.DIFY_HELM_TIMEOUT_SECONDS = '1';
    const started = Date.now();
    try {
      expect(() => helmTemplate(helm, '/c', tempDir('helm-run-'), INPUTS)).toThrow('helm did not finish to render the chart within 1 s and was stopped');
    } finally {
      delete process.env.DIFY_HELM_TIMEOUT_SECONDS;
    }
    expect(Date.now() - started).toBeLessThan(10000);
  });

  test('a helm stopped at the limit leaves none of its children running', () => {
    // A sleep no other process runs: its length is the marker.
    const marker = `sleep ${600 + (process.pid % 300)}.${Date.now() % 100000}`;
    const helm = fakeHelm(HELM_3, `${marker} & sleep 30`);
    process.env.DIFY_HELM_TIMEOUT_SECONDS = '1';
    try {
      expect(() => helmTemplate(helm, '/c', tempDir('helm-run-'), INPUTS)).toThrow('was stopped');
    } finally {
      delete process.env.DIFY_HELM_TIMEOUT_SECONDS;
    }
    const left = spawnSync('pgrep', ['-f', marker], { encoding: 'utf8' });
    expect(left.stdout).toBe('');
  });

  test('a render larger than the cap is refused in one line, not as a buffer error', () => {
    const helm = fakeHelm(HELM_3, 'head -c 70000000 /dev/zero | tr "\\0" a');
    expect(() => helmTemplate(helm, '/c', tempDir('helm-run-'), INPUTS)).toThrow('helm printed more than 64 MiB to render the chart and was stopped: no Dify chart renders that much');
  });

  test('the limit is a whole number of seconds', () => {
    expect(renderTimeoutSeconds({})).toBe(120);
    expect(renderTimeoutSeconds({ DIFY_HELM_TIMEOUT_SECONDS: '300' })).toBe(300);
    expect(() => renderTimeoutSeconds({ DIFY_HELM_TIMEOUT_SECONDS: '0' })).toThrow('it must be a whole number of seconds from 1 to 99999');
  });
});

describeWithCommunityCharts('the misbehaving helm tests')('a platform whose helm misbehaves', () => {
  /** The problem lines of a chart-tier platform rendered with `helm`. */
  function problemsWith(helm: string): string[] {
    const saved = process.env.DIFY_HELM;
    process.env.DIFY_HELM = helm;
    try {
      new DifyPlatform(testChart(), 'test', { dify: { version: '1.13.3', host: 'dify.example.com', chart: { path: copyOfChart('0.9.1') } } });
      return [];
    } catch (error) {
      return (error as Error).message.split('\n');
    } finally {
      if (saved === undefined) delete process.env.DIFY_HELM;
      else process.env.DIFY_HELM = saved;
    }
  }

  test.each([
    ['prints garbage', 'echo "::: not yaml"', 'printed something that is not Kubernetes YAML'],
    ['renders only comments', 'echo "# nothing here"', 'rendered no object for the chart'],
    ['prints a YAML list', 'printf -- "- a\\n- b\\n"', 'printed something that is not Kubernetes YAML: document 1 is a list, not an object'],
    ['prints a number', 'echo 42', 'printed something that is not Kubernetes YAML: document 1 is a number, not an object'],
    ['prints a mapping without kind', 'printf "apiVersion: v1\\n---\\nfoo: bar\\n"', 'printed something that is not Kubernetes YAML: document 1 has no apiVersion and kind'],
    ['renders nothing', 'true', 'rendered nothing for the chart'],
    ['renders no app (a chart without templates but a ConfigMap)', 'printf "apiVersion: v1\\nkind: ConfigMap\\nmetadata:\\n  name: x\\n"',
      'the chart renders no Deployment for api, worker, frontend, sandbox, plugin-daemon: Dify 1.13.3 would not run'],
  ])('a helm that %s stops the platform with one line', (_case, template, message) => {
    const helm = fakeHelm(HELM_3, template);
    const problems = problemsWith(helm);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(message);
  });
});

describeWithCommunityCharts('the misbehaving helm tests')('npm run synth with a helm that is no helm', () => {
  test('DIFY_HELM=/bin/true exits non-zero in one line and leaves dist/ exactly as it was', () => {
    const configDir = tempDir('config-');
    const dist = tempDir('dist-');
    fs.writeFileSync(path.join(dist, 'notes.md'), 'kept\n');
    const before = fingerprint(dist);
    fs.writeFileSync(path.join(configDir, 'platform.yaml'), `dify: { version: 1.13.3, chart: { path: ${JSON.stringify(copyOfChart('0.9.1'))} } }\n`);

    const run = runSynth({ DIFY_CONFIG_DIR: configDir, DIST_DIR: dist, DIFY_HELM: '/bin/true' });

    expect(run.status).not.toBe(0);
    expect(run.stderr).toContain('platform.yaml: dify.chart: "/bin/true" is not allowed: it does not answer `version --short` as helm does');
    expect(fingerprint(dist)).toEqual(before);
  });
});
