#!/usr/bin/env node
// `npm run schema`: writes schema/platform-config.schema.json, the JSON Schema editors read for config/*.yaml
// (the `# yaml-language-server: $schema=...` line at the top of each config; VS Code's YAML extension and others).
// Its structure is what zod writes from the schema synth validates with (lib/config/config-json-schema.ts, exposed
// by main.ts); each setting's description and default come from the documentation of the props types
// (lib/dify-platform-props.ts and the types it names), read with the TypeScript compiler: the same text the props'
// readers see.
// `--check` writes nothing and exits 1 when the committed file is not what the code makes now.
'use strict';

const fs = require('fs');
const path = require('path');
const ts = require('typescript');
const { build, loadApp } = require('./build');

const ROOT = path.resolve(__dirname, '..');
const OUTPUT = path.join(ROOT, 'schema', 'platform-config.schema.json');
const PROPS_FILE = path.join(ROOT, 'lib', 'dify-platform-props.ts');

/** The props type's documentation: the comment, and its `@default` tag as "Default: ...". */
function documentationOf(symbol, checker) {
  const text = ts.displayPartsToString(symbol.getDocumentationComment(checker)).replace(/\{@link ([^}]+)\}/g, '$1').trim();
  const fallback = symbol.getJsDocTags(checker).find((tag) => tag.name === 'default');
  const value = fallback ? ts.displayPartsToString(fallback.text).trim() : '';
  const defaultText = value ? `Default: ${value.replace(/^- /, '')}` : '';
  return [text, defaultText].filter(Boolean).join('\n\n');
}

/**
 * The object type a property holds, arrays' elements included, without undefined; of a union of one object type with
 * scalars (`string | ExistingCluster`), that object type, whose properties the schema's object variant documents.
 */
function objectTypeOf(type, checker) {
  const defined = checker.getNonNullableType(type);
  if (checker.isArrayType(defined)) return checker.getTypeArguments(defined)[0];
  if (defined.isUnion()) {
    const objects = defined.types.filter((member) => member.flags & ts.TypeFlags.Object || member.isIntersection());
    if (objects.length === 1) return objects[0];
  }
  return defined;
}

/** Puts each property's documentation on the schema node of the same name, walking both trees together. */
function describe(node, type, checker) {
  if (!node || typeof node !== 'object' || !type) return;
  if (node.items) describe(node.items, type, checker);
  for (const variant of [...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) describe(variant, type, checker);
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    const symbol = checker.getPropertyOfType(type, name);
    if (!symbol) continue;
    const documentation = documentationOf(symbol, checker);
    if (documentation && child.description === undefined) child.description = documentation;
    describe(child, objectTypeOf(checker.getTypeOfSymbol(symbol), checker), checker);
  }
}

function configSchema() {
  build();
  const { app } = loadApp();
  const schema = app.configJsonSchema();
  // No ambient types (@types/node, jest): only what the props files import is parsed.
  const program = ts.createProgram([PROPS_FILE], { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, noEmit: true, types: [], skipLibCheck: true });
  const checker = program.getTypeChecker();
  const source = program.getSourceFile(PROPS_FILE);
  const props = source.statements.find((statement) => ts.isInterfaceDeclaration(statement) && statement.name.text === 'DifyPlatformProps');
  describe(schema, checker.getTypeAtLocation(props.name), checker);
  return `${JSON.stringify({
    $id: 'https://github.com/dify-kubeblocks/schema/platform-config.schema.json',
    title: 'A Dify platform on KubeBlocks: one file of config/',
    ...schema,
  }, null, 2)}\n`;
}

const HELP = `usage: npm run schema [-- --check]

Writes schema/platform-config.schema.json, the JSON Schema of config files that editors read (the
yaml-language-server line at the top of each config): zod's schema of the settings, with each setting's
documentation and default from the props types. --check writes nothing and exits 1 when the committed file is stale.`;

function main(argv) {
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return 0;
  }
  const unknown = argv.filter((arg) => arg !== '--check');
  if (unknown.length > 0) {
    console.error(`schema: unknown argument ${unknown.join(' ')}; the options are --check and --help`);
    return 2;
  }
  const text = configSchema();
  if (argv.includes('--check')) {
    const committed = fs.existsSync(OUTPUT) ? fs.readFileSync(OUTPUT, 'utf8') : '';
    if (committed === text) return 0;
    console.error(`${path.relative(process.cwd(), OUTPUT)} is not what the config schema makes now: run npm run schema and commit it`);
    return 1;
  }
  fs.mkdirSync(path.dirname(OUTPUT), { recursive: true });
  fs.writeFileSync(OUTPUT, text);
  console.log(path.relative(process.cwd(), OUTPUT));
  return 0;
}

module.exports = { OUTPUT };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
