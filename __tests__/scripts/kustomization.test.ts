/**
 * dist/kustomization.yaml lists every platform file, so `kubectl apply -k dist/` (and Argo CD or Flux pointed at
 * the folder) takes them as one unit. Checked with a real kubectl (scripts/tools.js: pinned, from npm) on the
 * examples' output (several platforms; the repository's own dist/ is whatever its config/ holds).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { ROOT } from '../helpers/pipeline';

describe('the kustomization.yaml synth writes', () => {
  test('kubectl kustomize renders exactly the objects of every platform file', () => {
    const kubectl = execFileSync(process.execPath, [path.join(ROOT, 'scripts', 'tools.js'), 'kubectl'], { encoding: 'utf8' }).trim();
    const dist = path.join(ROOT, 'examples', 'dist');
    const platformFiles = fs.readdirSync(dist).filter((file) => file.endsWith('.k8s.yaml')).sort();

    const rendered = loadAll(execFileSync(kubectl, ['kustomize', dist], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 })) as any[];
    const expected = platformFiles.flatMap((file) => loadAll(fs.readFileSync(path.join(dist, file), 'utf8')) as any[]);

    expect((loadAll(fs.readFileSync(path.join(dist, 'kustomization.yaml'), 'utf8'))[0] as any).resources).toEqual(platformFiles);
    const key = (o: any) => `${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;
    expect(rendered.map(key).sort()).toEqual(expected.map(key).sort());
    const byKey = new Map(rendered.map((o) => [key(o), o]));
    for (const object of expected) expect(byKey.get(key(object))).toEqual(object);
  }, 180000);
});
