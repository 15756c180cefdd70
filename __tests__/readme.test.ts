/** The README's examples, read as YAML: what a reader copies must do what the text says. */
import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { parseConfigText } from '../lib/config/load-configs';
import { synthPlatform } from './helpers/synth';

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

describe('the README\'s platform on servers you already run', () => {
  const props = parseConfigText(yamlTextAfter('## Servers you already run'), 'README.md');
  const objects = synthPlatform(props);
  const named = (kind: string) => objects.filter((object) => object.kind === kind).map((object) => object.metadata.name);

  test('synthesizes with no KubeBlocks Cluster and no MinIO, as it says', () => {
    expect(named('Cluster')).toEqual([]);
    expect(named('StatefulSet')).toEqual([]);
    expect(named('Ingress')).toEqual(['dify-ingress']);
  });

  test('gives the role to the pods of Dify\'s api code and never to the sandboxes', () => {
    const account = objects.find((object) => object.kind === 'ServiceAccount' && object.metadata.name === 'dify');
    expect(account?.metadata.annotations).toMatchObject({ 'eks.amazonaws.com/role-arn': 'arn:aws:iam::111122223333:role/dify' });
    const runAs = (name: string) => objects.find((object) => object.metadata.name === name && object.kind === 'Deployment')?.spec.template.spec.serviceAccountName;
    expect(['dify-api', 'dify-worker', 'dify-beat'].map(runAs)).toEqual(['dify', 'dify', 'dify']);
    expect(runAs('dify-sandbox')).not.toBe('dify');
  });

  test('reads the three Secrets the text says the user creates, and reaches Redis over TLS and the internet through the proxy', () => {
    const text = JSON.stringify(objects);
    for (const secret of ['dify-rds', 'dify-elasticache', 'dify-qdrant']) expect(text).toContain(`"name":"${secret}"`);
    const api = objects.find((object) => object.kind === 'Deployment' && object.metadata.name === 'dify-api');
    const env = Object.fromEntries(api!.spec.template.spec.containers[0].env.map((variable: any) => [variable.name, variable.value]));
    expect(env).toMatchObject({ REDIS_USE_SSL: 'true', REDIS_SSL_CERT_REQS: 'CERT_REQUIRED', PGSSLMODE: 'require', HTTPS_PROXY: 'http://proxy.corp.example.com:3128' });
  });
});
