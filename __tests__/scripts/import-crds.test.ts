import { execFileSync, spawn } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { projectCopy } from '../helpers/pipeline';
import { describeWithThirdParty, thirdPartyFile } from '../helpers/third-party';

const ROOT = path.join(__dirname, '..', '..');
/** The CRDs cdk8s.yaml imports, as the third-party folder holds them. */
const KUBEBLOCKS_CRDS = ['1.0/apps.kubeblocks.io_clusters.yaml', '1.0/operations.kubeblocks.io_opsrequests.yaml',
  '0.9/apps.kubeblocks.io_clusters.yaml', '0.9/apps.kubeblocks.io_opsrequests.yaml'].map((file) => `crds/kubeblocks/${file}`);

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(dir, path.join(entry.parentPath, entry.name)))
    .sort();
}

function expectSameFiles(out: string): void {
  const committed = path.join(ROOT, 'imports');
  expect(filesUnder(out)).toEqual(filesUnder(committed));
  for (const file of filesUnder(committed)) {
    expect([file, fs.readFileSync(path.join(out, file), 'utf8')]).toEqual([file, fs.readFileSync(path.join(committed, file), 'utf8')]);
  }
}

/** An HTTP server on loopback answering `<path>` with the third-party file that ends the same way, from a child process. */
async function serveCrds(): Promise<{ url: string; stop: () => void }> {
  const server = spawn(process.execPath, ['-e', `
    const http = require('http'), fs = require('fs'), path = require('path');
    const server = http.createServer((request, response) => {
      const [, line, file] = /\\/v(\\d+\\.\\d+)\\.\\d+\\/deploy\\/helm\\/crds\\/([\\w.]+\\.yaml)$/.exec(request.url) ?? [];
      if (!file) { response.statusCode = 404; return response.end(); }
      fs.createReadStream(path.join(process.argv[1], line, file)).on('error', () => { response.statusCode = 404; response.end(); }).pipe(response);
    });
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`, thirdPartyFile('crds', 'kubeblocks')], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => server.stdout!.once('data', (data) => resolve(String(data).trim())));
  return { url: `http://127.0.0.1:${port}`, stop: () => server.kill() };
}

describeWithThirdParty('the import tests', ...KUBEBLOCKS_CRDS)('npm run import', () => {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'imports-')), 'imports');

  beforeAll(() => {
    execFileSync('node', [path.join(ROOT, 'scripts', 'import-crds.js'), '--crds', thirdPartyFile('crds'), '--out', out], { cwd: ROOT, stdio: 'pipe' });
  });

  test('regenerates imports/ byte for byte from the KubeBlocks CRDs: nothing in it was edited by hand', () => {
    expectSameFiles(out);
  });

  test('downloads the CRDs cdk8s.yaml lists by URL when asked: the same imports/ from the same files', async () => {
    const server = await serveCrds();
    try {
      const project = projectCopy();
      const listed = fs.readFileSync(path.join(project, 'cdk8s.yaml'), 'utf8');
      expect(listed.match(/:=https:\/\/raw\.githubusercontent\.com\/apecloud\/kubeblocks\/v(0\.9\.5|1\.0\.2)\//g)).toHaveLength(4);
      // The same paths at the same tags, from loopback instead of the upstream host.
      fs.writeFileSync(path.join(project, 'cdk8s.yaml'), listed.replace(/https:\/\/raw\.githubusercontent\.com\/apecloud\/kubeblocks/g, server.url));
      const downloaded = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'imports-')), 'imports');
      execFileSync('node', ['scripts/import-crds.js', '--download', '--out', downloaded], { cwd: project, stdio: 'pipe' });
      expectSameFiles(downloaded);
    } finally {
      server.stop();
    }
  });

  test('each release line and kind gets its own module, so no import overwrites another', () => {
    expect(filesUnder(out).filter((file) => file.endsWith('.ts'))).toEqual([
      'kb09-cluster-apps.kubeblocks.io.ts',
      'kb09-opsrequest-apps.kubeblocks.io.ts',
      'kb10-cluster-apps.kubeblocks.io.ts',
      'kb10-opsrequest-operations.kubeblocks.io.ts',
    ]);
  });

  test('the schemas keep only the stored version, without descriptions', () => {
    const cluster = JSON.parse(fs.readFileSync(path.join(out, 'schemas', '1.0', 'cluster.json'), 'utf8'));

    expect(cluster.apiVersion).toBe('apps.kubeblocks.io/v1');
    expect(JSON.stringify(cluster)).not.toContain('"description":"');
  });
});
