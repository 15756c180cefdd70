/**
 * The package's public surface (lib/public-api.ts, package.json `exports`): every name it exports is documented
 * (TSDoc on its declaration), so a user's editor shows what each one is, and nothing internal slips into it.
 */
import * as path from 'path';
import * as ts from 'typescript';
import { ROOT } from './helpers/pipeline';

const ENTRY = path.join(ROOT, 'lib', 'public-api.ts');

function program(): ts.Program {
  const configFile = path.join(ROOT, 'tsconfig.json');
  const config = ts.parseJsonConfigFileContent(ts.readConfigFile(configFile, ts.sys.readFile).config, ts.sys, ROOT, undefined, configFile);
  return ts.createProgram([ENTRY], { ...config.options, noEmit: true });
}

describe('the public API', () => {
  const created = program();
  const typeChecker = created.getTypeChecker();
  const module = typeChecker.getSymbolAtLocation(created.getSourceFile(ENTRY)!)!;
  const exported = typeChecker.getExportsOfModule(module);

  test('names what a user needs, and only that', () => {
    expect(exported.map((symbol) => symbol.getName()).sort()).toEqual([
      'BackupRepo', 'BackupRepoProps', 'ClusterOrigin', 'ConfigError', 'DataTierSettings', 'DifyPlatform', 'DifyPlatformProps',
      'GENERATED_HEADER', 'KubeBlocksSettings', 'LoadOptions', 'MilvusCluster', 'MilvusClusterProps', 'MilvusConnection',
      'PlatformConfig', 'PlatformPlan', 'PostgresqlCluster', 'PostgresqlClusterProps', 'PostgresqlConnection', 'QdrantCluster',
      'QdrantClusterProps', 'QdrantConnection', 'RedisCluster', 'RedisClusterProps', 'RedisConnection', 'ReleaseLine',
      'SecretKeyRef', 'SentinelConnection', 'SentinelSettings', 'SslMode', 'SynthesizeOptions', 'VectorStoreConnection',
      'checkGuardRails', 'loadConfigs', 'loadPlatformConfigs', 'parseConfigText', 'planPlatforms', 'planReport',
      'platformYaml', 'removedPlatformRefusals', 'synthesize', 'writePlatforms',
    ]);
  });

  test('every exported name carries TSDoc on its declaration', () => {
    const undocumented = exported.filter((symbol) => {
      const target = symbol.flags & ts.SymbolFlags.Alias ? typeChecker.getAliasedSymbol(symbol) : symbol;
      return target.getDocumentationComment(typeChecker).length === 0;
    }).map((symbol) => symbol.getName());
    expect(undocumented).toEqual([]);
  });
});
