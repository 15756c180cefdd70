/**
 * The provider table against KubeBlocks' own StorageProvider definitions (the third-party folder's
 * kubeblocks-storage-providers/, from the release tags; skipped where it is absent): what a BackupRepo writes plus the Secret keys the README asks for must satisfy the provider's
 * parameter schema, as the BackupRepo controller checks it, with nothing the schema does not declare.
 */
import * as fs from 'fs';
import { parse } from 'yaml';
import { BackupRepoProps, providerConfig } from '../../lib/kubeblocks/backup-repo';
import { ReleaseLine } from '../../lib/kubeblocks/release-lines';
import { BACKUP_PROVIDERS, STORAGE_PROVIDERS, StorageProviderName } from '../../lib/kubeblocks/storage-providers';
import { describeWithThirdParty, thirdPartyFile } from '../helpers/third-party';

interface ParameterSchema { readonly properties: Record<string, unknown>; readonly required: string[]; readonly credentialFields: string[] }

/** The provider's `parametersSchema` and `credentialFields` (the part of the Helm template without directives). */
function upstreamSchema(line: ReleaseLine, provider: string): ParameterSchema | undefined {
  const file = thirdPartyFile('kubeblocks-storage-providers', line, `${provider}.yaml`);
  if (!fs.existsSync(file)) return undefined;
  const text = fs.readFileSync(file, 'utf8');
  const tail = text.slice(text.indexOf('  parametersSchema:'));
  expect(tail).not.toContain('{{');
  const spec = parse(tail);
  return { ...spec.parametersSchema.openAPIV3Schema, credentialFields: spec.parametersSchema.credentialFields };
}

/** A repo with every setting the platform could pass for this provider. */
function fullRepo(provider: StorageProviderName): BackupRepoProps {
  return { provider, bucket: 'b-1', container: 'c-1', region: 'r-1', endpoint: 'http://store:9000', credentialsSecret: { name: 'creds' } };
}

const CASES = (['0.9', '1.0'] as const).flatMap((line) => BACKUP_PROVIDERS.map((provider) => [line, provider] as const));

describeWithThirdParty('the StorageProvider tests', 'kubeblocks-storage-providers/0.9/s3.yaml', 'kubeblocks-storage-providers/1.0/s3.yaml')('storage providers', () => {
  test.each(CASES)('KubeBlocks %s: %s', (line, provider) => {
    const facts = STORAGE_PROVIDERS[provider];
    const schema = upstreamSchema(line, provider);
    expect(schema !== undefined).toBe(facts.releaseLines.includes(line));
    if (schema === undefined) return;

    expect([...facts.secretKeys].sort()).toEqual([...schema.credentialFields].sort());
    const written = Object.keys(providerConfig(fullRepo(provider)));
    // Nothing written that the schema does not declare, and no credential in the repo object itself.
    expect(written.filter((key) => !(key in schema.properties))).toEqual([]);
    expect(written.filter((key) => schema.credentialFields.includes(key))).toEqual([]);
    // The least a config can give (the place and what the table requires) plus the Secret's keys is what the schema requires.
    const least = { provider, [facts.place]: 'x', ...Object.fromEntries(facts.requires.map((key) => [key, 'x'])), credentialsSecret: { name: 'creds' } };
    const given = [...Object.keys(providerConfig(least as BackupRepoProps)), ...facts.secretKeys];
    expect(schema.required.filter((key) => !given.includes(key))).toEqual([]);
    // And the table asks for nothing the schema leaves optional.
    expect(facts.requires.filter((key) => !schema.required.includes(key))).toEqual([]);
  });

  test('a provider missing its place is a programming error the config check prevents', () => {
    expect(() => providerConfig({ provider: 'azureblob', bucket: 'b', credentialsSecret: { name: 'c' } })).toThrow('azureblob needs container');
  });
});
