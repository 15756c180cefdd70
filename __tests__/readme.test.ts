/** The README's examples, read as YAML: what a reader copies must do what the text says. */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

/** The documents of the first ```yaml block after a line that starts with `intro`. */
function yamlBlockAfter(intro: string): any[] {
  const start = README.indexOf(`\n${intro}`);
  expect(start).toBeGreaterThan(0);
  const block = /```yaml\n([\s\S]*?)```/.exec(README.slice(start))!;
  return parseAllDocuments(block[1]).map((doc) => doc.toJS());
}

describe('the README\'s Argo CD example', () => {
  const documents = yamlBlockAfter('With Argo CD, an Application');

  test('syncs dist/ with prune, and tracks resources by annotation, not by the instance label KubeBlocks sets too', () => {
    const application = documents.find((doc) => doc.kind === 'Application');
    expect(application.spec.source.path).toBe('dist');
    expect(application.spec.syncPolicy.automated.prune).toBe(true);
    // Argo CD before 3.0 tracks by app.kubernetes.io/instance; KubeBlocks labels what it creates with it.
    const argocdCm = documents.find((doc) => doc.kind === 'ConfigMap' && doc.metadata.name === 'argocd-cm');
    expect(argocdCm?.metadata.namespace).toBe(application.metadata.namespace);
    expect(argocdCm?.data['application.resourceTrackingMethod']).toBe('annotation');
  });
});
