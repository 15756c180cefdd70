/**
 * Publishing dist/ survives anything: the real pipeline is killed with SIGKILL at each of its steps, and dist/ must
 * always exist with every file either its old content or its new content, complete. Files a user added to dist/
 * are never touched; stale files this app wrote are removed; what a killed run leaves behind is cleared next time.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CONFIG_DIR } from '../helpers/configs';
import { buildApp, copyOfDist, fingerprint, ROOT, runSynth, tempDir } from '../helpers/pipeline';

beforeAll(buildApp);

const GENERATED = fingerprint(path.join(ROOT, 'dist'));
const HEADER = fs.readFileSync(path.join(ROOT, 'dist', 'default.k8s.yaml'), 'utf8').split('\n')[0];

/** A dist/ from an older synth (each platform file changed), with a stale platform file and files of the user. */
function oldDist(): { dist: string; old: Record<string, string> } {
  const dist = copyOfDist();
  for (const file of Object.keys(GENERATED)) fs.appendFileSync(path.join(dist, file), '# an older synth\n');
  fs.writeFileSync(path.join(dist, 'removed-platform.k8s.yaml'), `${HEADER}\nkind: Namespace\n`);
  fs.writeFileSync(path.join(dist, 'kustomization.yaml'), 'resources: [default.k8s.yaml]\n');
  fs.writeFileSync(path.join(dist, 'handmade.k8s.yaml'), 'kind: ConfigMap\n');
  return { dist, old: fingerprint(dist) };
}

const USER_FILES = ['handmade.k8s.yaml', 'kustomization.yaml'];

describe('publishing into dist/', () => {
  test('a finished run publishes every platform, removes its own stale file and keeps the user\'s files', () => {
    const { dist, old } = oldDist();

    const run = runSynth({ DIFY_CONFIG_DIR: CONFIG_DIR, DIST_DIR: dist });

    expect(run.status).toBe(0);
    expect(fingerprint(dist)).toEqual({ ...GENERATED, ...Object.fromEntries(USER_FILES.map((file) => [file, old[file]])) });
    expect(fs.readdirSync(path.dirname(dist))).toEqual(['dist']);
  });

  test('a dist/ that does not exist yet is created', () => {
    const dist = path.join(tempDir('fresh-'), 'dist');

    expect(runSynth({ DIFY_CONFIG_DIR: CONFIG_DIR, DIST_DIR: dist }).status).toBe(0);
    expect(fingerprint(dist)).toEqual(GENERATED);
  });

  // Which platform files each step has published already (files are published in name order).
  test.each<[string, string[]]>([
    ['after-synth', []],
    ['after-first-file', ['default.k8s.yaml']],
    ['before-stale-removal', ['default.k8s.yaml', 'seed-helm.k8s.yaml', 'seed.k8s.yaml']],
  ])('killed %s, every file is old or new and complete', (step, published) => {
    const { dist, old } = oldDist();

    const killed = runSynth({ DIFY_CONFIG_DIR: CONFIG_DIR, DIST_DIR: dist, DIFY_SYNTH_FAULT: step });

    expect(killed.signal).toBe('SIGKILL');
    const now = fingerprint(dist);
    for (const file of Object.keys(GENERATED)) expect(now[file]).toBe(published.includes(file) ? GENERATED[file] : old[file]);
    for (const file of USER_FILES) expect(now[file]).toBe(old[file]);
    expect(Object.keys(now).sort()).toEqual(Object.keys(old).sort());
    // The killed run's staging folder is left; the next run clears it and publishes everything.
    expect(fs.readdirSync(path.dirname(dist)).filter((entry) => entry.startsWith('.synth-'))).toHaveLength(1);
    expect(runSynth({ DIFY_CONFIG_DIR: CONFIG_DIR, DIST_DIR: dist }).status).toBe(0);
    expect(fs.readdirSync(path.dirname(dist))).toEqual(['dist']);
    expect(fingerprint(dist)).toEqual({ ...GENERATED, ...Object.fromEntries(USER_FILES.map((file) => [file, old[file]])) });
  });

});
