/**
 * `npm run plan -- --live` against a real control plane (helpers/cluster.ts) holding a platform applied the way the
 * README applies it (`kubectl apply --server-side`): nothing to do right after the apply; after a config change,
 * exactly that change, field by field, with the object it drops "to delete (with prune)"; nothing again once the
 * change is applied. The control plane's controllers write to the objects meanwhile (status, revisions): no
 * difference.
 */
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { describeWithCluster } from '../helpers/cluster';
import { applyOk, controlPlaneWithCrds, createMissingNamespaces, crdFiles } from '../helpers/cluster-apply';
import { buildApp, FIXTURE_CONFIG_DIR, ROOT, runSynth, tempDir } from '../helpers/pipeline';
import { describeWithThirdParty } from '../helpers/third-party';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { toolPath } = require('../../scripts/tools') as { toolPath(tool: string): string };

describeWithCluster()('npm run plan -- --live', () => {
  describeWithThirdParty('the CRDs of KubeBlocks 1.0', ...crdFiles('1.0'))('on KubeBlocks 1.0', () => {
    const cluster = controlPlaneWithCrds('1.0');
    const configDir = tempDir('live-config-');
    const dist = path.join(tempDir('live-dist-'), 'dist');
    const config = path.join(configDir, 'default.yaml');
    const platformFile = path.join(dist, 'default.k8s.yaml');
    const synth = () => {
      const run = runSynth({ DIFY_CONFIG_DIR: configDir, DIST_DIR: dist });
      if (run.status !== 0) throw new Error(`synth failed:\n${run.stderr}`);
    };
    const planLive = () => {
      const env: NodeJS.ProcessEnv = { ...process.env, DIFY_CONFIG_DIR: configDir, DIST_DIR: dist, KUBECONFIG: cluster().kubeconfig, DIFY_KUBECTL: toolPath('kubectl') };
      delete env.INIT_CWD;
      return spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'plan.js'), '--live'], { cwd: ROOT, encoding: 'utf8', env, timeout: 300000 });
    };
    const header = (counts: string) => `default.k8s.yaml (${config}) against context "test": ${counts}`;

    beforeAll(() => {
      buildApp();
      fs.copyFileSync(path.join(FIXTURE_CONFIG_DIR, 'default.yaml'), config);
      synth();
    });

    it('right after the platform is applied, there is nothing to do', () => {
      createMissingNamespaces(cluster(), fs.readFileSync(platformFile, 'utf8'));
      applyOk(cluster(), platformFile);

      const run = planLive();

      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toBe(`${header('0 to create, 0 to change, 0 to delete (with prune)')}\n`);
    });

    it('after a config change, exactly that change: the fields, the pods it restarts, and the object it drops', () => {
      fs.appendFileSync(config, 'postgresql:\n  replicas: 3\ndify:\n  api:\n    labels: { team: a }\n  ingress:\n    enabled: false\n');
      synth();

      const run = planLive();

      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout.trim().split('\n')).toEqual([
        header('0 to create, 2 to change (1 restarts pods), 1 to delete (with prune)'),
        '  ~ Cluster/dify/postgresql   <- holds data',
        '      spec.componentSpecs[name=postgresql].replicas: 2 -> 3',
        '  ~ Deployment/dify/dify-api   <- rolls pods',
        '      spec.template.metadata.labels.team: + "a"',
        '  - Ingress/dify/dify-ingress',
      ]);
    });

    it('once the change is applied (and the dropped object deleted, as a prune does), there is nothing to do again', () => {
      applyOk(cluster(), platformFile);
      cluster().kubectlOk(['delete', '-n', 'dify', 'ingress', 'dify-ingress']);

      const run = planLive();

      expect(run.stderr).toBe('');
      expect(run.stdout).toBe(`${header('0 to create, 0 to change, 0 to delete (with prune)')}\n`);
    });
  });
});
