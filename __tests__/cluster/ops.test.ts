/**
 * Every kind of `npm run ops` output created for real (`kubectl create -f -`, as scripts/ops.js says: OpsRequests
 * use generateName) on a real API server (helpers/cluster.ts) next to the platform it names, on both release lines:
 * the default platform (config/, KubeBlocks 1.0) and the seed (examples/config, KubeBlocks 0.9), with their CRDs.
 * The OpsRequest CRDs' validation (and their x-kubernetes-validations) accept each one.
 */
import { spawnSync } from 'child_process';
import * as path from 'path';
import { ControlPlane, describeWithCluster, startControlPlane } from '../helpers/cluster';
import { applyOk, createMissingNamespaces, crdFiles, installCrds, ReleaseLine } from '../helpers/cluster-apply';
import { describeWithThirdParty } from '../helpers/third-party';
import * as fs from 'fs';

const ROOT = path.join(__dirname, '..', '..');

type Op = [operation: string, cluster: string, options: string[]];
const COMMON: Op[] = [
  ['restart', 'postgresql', []], ['stop', 'redis', []], ['start', 'redis', []],
  ['vscale', 'postgresql', ['--cpu', '2', '--memory', '4Gi']], ['hscale', 'postgresql', ['--replicas', '3']], ['hscale', 'qdrant', ['--replicas', '5']],
  ['volume-expand', 'qdrant', ['--storage', '50Gi']], ['backup', 'redis', []], ['backup', 'postgresql', []], ['backup', 'qdrant', []],
];
const PLATFORMS: { line: ReleaseLine; configDir: string; platform: string; file: string; ops: Op[] }[] = [
  { line: '1.0', configDir: 'config', platform: 'default', file: 'dist/default.k8s.yaml', ops: [...COMMON,
    ['switchover', 'postgresql', ['--candidate', 'postgresql-postgresql-1', '--from', 'postgresql-postgresql-0']],
    ['restore', 'redis', ['--backup', 'redis-nightly']]] },
  { line: '0.9', configDir: 'examples/config', platform: 'seed', file: 'examples/dist/seed.k8s.yaml', ops: [...COMMON,
    ['switchover', 'redis', ['--candidate', 'redis-redis-1']],
    ['upgrade', 'postgresql', ['--version', '14.18.0']]] },
];

describeWithCluster()('npm run ops outputs, created on a real API server', () => {
  for (const { line, configDir, platform, file, ops } of PLATFORMS) {
    describeWithThirdParty(`the CRDs of KubeBlocks ${line}`, ...crdFiles(line))(`${platform} on KubeBlocks ${line}`, () => {
      let cluster: ControlPlane;
      beforeAll(async () => {
        cluster = await startControlPlane({ controllerManager: false });
        installCrds(cluster, line);
        const yaml = fs.readFileSync(path.join(ROOT, file), 'utf8');
        createMissingNamespaces(cluster, yaml);
        applyOk(cluster, path.join(ROOT, file));
      });
      afterAll(async () => { await cluster?.stop(); });

      it.each(ops)(`npm run ops -- ${platform} %s %s %j: created`, (operation, target, options) => {
        const ops = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'ops.js'), platform, operation, target, ...options], {
          cwd: ROOT, encoding: 'utf8', env: { ...process.env, DIFY_CONFIG_DIR: configDir },
        });
        expect(ops.stderr.replace(/^note: .*\n/gm, '')).toBe('');
        expect(ops.status).toBe(0);
        const created = cluster.kubectl(['create', '-f', '-'], ops.stdout);
        expect(created.stderr).toBe('');
        expect(created.stdout).toMatch(/^opsrequest\.(operations|apps)\.kubeblocks\.io\/\S+ created\n$/);
      });
    });
  }
});
