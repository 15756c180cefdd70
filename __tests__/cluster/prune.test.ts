/**
 * Removing a platform, and applying the folder with prune, on a real control plane (helpers/cluster.ts): the guard
 * rail of synth (a platform whose config is gone keeps its file while it holds Clusters or a Namespace) is what
 * keeps `kubectl apply -k dist/ --prune` from deleting them; with --allow-destructive the file goes and the prune
 * deletes the platform, and nothing of the other one.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ControlPlane, describeWithCluster, startControlPlane } from '../helpers/cluster';
import { crdFiles, installCrds } from '../helpers/cluster-apply';
import { buildApp, runSynth, tempDir } from '../helpers/pipeline';
import { describeWithThirdParty } from '../helpers/third-party';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** kubectl's stderr without its warnings (the prune deprecation notice, the API server's deprecated-API warnings). */
const errorsOf = (stderr: string) => stderr.split('\n').filter((line) => line && !/^(W\d{4} |Warning: )/.test(line));

describeWithCluster()('removing a platform and applying with prune', () => {
  describeWithThirdParty('the CRDs of KubeBlocks 1.0', ...crdFiles('1.0'))('on KubeBlocks 1.0', () => {
    let cluster: ControlPlane;
    const configDir = tempDir('prune-config-');
    const dist = path.join(tempDir('prune-dist-'), 'dist');
    const synth = (argv: string[] = []) => runSynth({ DIFY_CONFIG_DIR: configDir, DIST_DIR: dist }, { argv });
    // The README's apply of the whole folder, with kubectl's prune of what the folder no longer holds.
    const applyFolder = () => cluster.kubectl(['apply', '-k', dist, '--prune', '--all']);
    const exists = (...what: string[]) => cluster.kubectl(['get', ...what]).status === 0;

    beforeAll(async () => {
      buildApp();
      fs.writeFileSync(path.join(configDir, 'keep.yaml'), 'namespace: keep\n');
      fs.writeFileSync(path.join(configDir, 'gone.yaml'), 'namespace: gone\n');
      cluster = await startControlPlane();
      installCrds(cluster, '1.0');
    });
    afterAll(async () => { await cluster?.stop(); });

    it('both platforms are synthesized and applied', () => {
      const run = synth();
      expect(run.stderr).not.toMatch(/refus/i);
      expect(run.status).toBe(0);
      expect(fs.readdirSync(dist).sort()).toEqual(['gone.k8s.yaml', 'keep.k8s.yaml', 'kustomization.yaml']);
      const applied = applyFolder();
      expect(errorsOf(applied.stderr)).toEqual([]);
      expect(applied.status).toBe(0);
      expect(exists('namespace', 'gone')).toBe(true);
      expect(exists('-n', 'gone', 'clusters.apps.kubeblocks.io', 'postgresql')).toBe(true);
    });

    it('a removed config: synth refuses and keeps the file, so the prune deletes nothing', () => {
      fs.rmSync(path.join(configDir, 'gone.yaml'));
      const run = synth();
      expect(run.status).not.toBe(0);
      expect(run.stderr).toContain('gone.k8s.yaml: no config writes this platform any more');
      expect(fs.existsSync(path.join(dist, 'gone.k8s.yaml'))).toBe(true);
      const applied = applyFolder();
      expect(applied.status).toBe(0);
      expect(applied.stdout).not.toContain('pruned');
      expect(exists('namespace', 'gone')).toBe(true);
      expect(exists('-n', 'gone', 'clusters.apps.kubeblocks.io', 'postgresql')).toBe(true);
    });

    it('removed on purpose (--allow-destructive): the prune deletes that platform and nothing else', async () => {
      const keepBefore = cluster.kubectlOk(['get', '-n', 'keep', 'clusters.apps.kubeblocks.io,deployments,services,configmaps', '-o', 'name']);
      const run = synth(['--allow-destructive']);
      expect(run.status).toBe(0);
      expect(fs.readdirSync(dist).sort()).toEqual(['keep.k8s.yaml', 'kustomization.yaml']);
      const applied = applyFolder();
      expect(applied.status).toBe(0);
      expect(applied.stdout).toContain('namespace/gone pruned');
      // The namespace controller deletes what the namespace held, the Clusters with it.
      const deadline = Date.now() + 120000;
      while (exists('namespace', 'gone') && Date.now() < deadline) await sleep(1000);
      expect(exists('namespace', 'gone')).toBe(false);
      expect(cluster.kubectlOk(['get', '-n', 'keep', 'clusters.apps.kubeblocks.io,deployments,services,configmaps', '-o', 'name'])).toBe(keepBefore);
    });
  });
});
