/**
 * Every platform file of dist/ and examples/dist/ applied for real to a real API server (helpers/cluster.ts), with
 * the CRDs of its KubeBlocks release line, in the order the file gives: every object is accepted (schemas, CRD
 * validation, admission, RBAC escalation checks), and applying it a second time changes nothing.
 */
import * as fs from 'fs';
import * as path from 'path';
import { describeWithCluster } from '../helpers/cluster';
import { applyOk, controlPlaneWithCrds, changesOnReapply, createMissingNamespaces, crdFiles, diff, manifestsOf, ReleaseLine, releaseLineOf } from '../helpers/cluster-apply';
import { describeWithThirdParty } from '../helpers/third-party';

const ROOT = path.join(__dirname, '..', '..');
const FILES = ['dist', 'examples/dist'].flatMap((dir) => fs.readdirSync(path.join(ROOT, dir))
  .filter((name) => name.endsWith('.k8s.yaml')).sort().map((name) => `${dir}/${name}`));

describeWithCluster()('every platform file, applied to a real API server', () => {
  it('finds the platform files', () => {
    expect(FILES).toContain('dist/default.k8s.yaml');
    expect(FILES.length).toBeGreaterThanOrEqual(5);
  });

  for (const line of ['1.0', '0.9'] as ReleaseLine[]) {
    const files = FILES.filter((file) => releaseLineOf(fs.readFileSync(path.join(ROOT, file), 'utf8')) === line);
    describeWithThirdParty(`the CRDs of KubeBlocks ${line}`, ...crdFiles(line))(`on KubeBlocks ${line}'s CRDs`, () => {
      const cluster = controlPlaneWithCrds(line);

      it.each(files)('%s: every object is applied', (file) => {
        const yaml = fs.readFileSync(path.join(ROOT, file), 'utf8');
        createMissingNamespaces(cluster(), yaml);
        const out = applyOk(cluster(), path.join(ROOT, file));
        // kubectl prints one line per object it applied.
        expect(out.trim().split('\n')).toHaveLength(manifestsOf(yaml).length);
      });

      it.each(files)('%s: a second apply changes nothing', (file) => {
        expect(diff(cluster(), path.join(ROOT, file))).toBe('');
        expect(changesOnReapply(cluster(), path.join(ROOT, file))).toEqual([]);
      });
    });
  }
});
