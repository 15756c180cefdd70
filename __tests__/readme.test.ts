/** The README's examples, read as YAML: what a reader copies must do what the text says. */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { parseConfigText } from '../lib/config/load-configs';

const README = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');

/** The text of the first ```yaml block after a line that starts with `intro`. */
function yamlTextAfter(intro: string): string {
  const start = README.indexOf(`\n${intro}`);
  expect(start).toBeGreaterThan(0);
  return /```yaml\n([\s\S]*?)```/.exec(README.slice(start))![1];
}

/** The documents of the first ```yaml block after a line that starts with `intro`. */
function yamlBlockAfter(intro: string): any[] {
  return parseAllDocuments(yamlTextAfter(intro)).map((doc) => doc.toJS());
}

describe('the README\'s first platform', () => {
  test('is a config synth takes as it is', () => {
    const props = parseConfigText(yamlTextAfter('## A first platform'), 'README.md');
    expect(props.dify?.host).toBe('dify.example.com');
  });
});

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
