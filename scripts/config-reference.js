#!/usr/bin/env node
// Writes docs/configuration.md, the reference of every setting of a platform config, from the JSON Schema
// (schema/platform-config.schema.json, itself written from the zod schema and the props' documentation by
// `npm run schema`), so the reference never says something the schema does not. Deterministic: the same schema
// gives the same bytes. Dev-time only: `npm run docs` writes the page, `npm run docs -- --check` exits 1 when the
// page is not what this writes now (a test checks the same).
'use strict';

const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const SCHEMA = path.join(ROOT, 'schema', 'platform-config.schema.json');
const OUT = path.join(ROOT, 'docs', 'configuration.md');

const USAGE = `usage: npm run docs [-- --check]

Writes docs/configuration.md from schema/platform-config.schema.json.
  --check   write nothing; exit 1 when docs/configuration.md is not what this would write`;

/** A description's "Default: ..." paragraph (the props' @default), apart from the rest of it. */
function splitDefault(description) {
  if (!description) return { text: '', byDefault: undefined };
  // TSDoc's {@link Name} reads as the name in code.
  description = description.replace(/\{@link\s+([^}\s]+)\s*\}/g, '`$1`');
  const paragraphs = description.split(/\n\s*\n/);
  const index = paragraphs.findIndex((paragraph) => paragraph.startsWith('Default: '));
  if (index < 0) return { text: description.trim(), byDefault: undefined };
  const byDefault = paragraphs[index].slice('Default: '.length).replace(/\s*\n\s*/g, ' ').trim();
  return { text: paragraphs.filter((_, i) => i !== index).join('\n\n').trim(), byDefault };
}

function code(value) {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text.includes('`') ? `\`\` ${text} \`\`` : `\`${text}\``;
}

/** What a value is: its JSON type, a list of what, a map of what, or the choices of an anyOf. */
function typeOf(node) {
  if (node.anyOf) return node.anyOf.map(typeOf).join(' or ');
  if (node.const !== undefined) return code(node.const);
  const types = Array.isArray(node.type) ? node.type : [node.type || 'any'];
  return types.map((type) => {
    if (type === 'array') return `list of ${node.items ? typeOf(node.items) : 'any'}`;
    if (type === 'object' && !node.properties && node.additionalProperties && typeof node.additionalProperties === 'object') {
      return `map of ${typeOf(node.additionalProperties)}`;
    }
    return type;
  }).join(' or ');
}

/** What values pass, where the schema says it plainly: choices, number ranges, list lengths. */
function allowed(node) {
  const parts = [];
  if (node.enum) parts.push(`one of ${node.enum.map(code).join(', ')}`);
  const { minimum: min, maximum: max } = node;
  if (min !== undefined && max !== undefined) parts.push(`from ${min} to ${max}`);
  else if (min !== undefined) parts.push(`at least ${min}`);
  else if (max !== undefined) parts.push(`at most ${max}`);
  if (node.exclusiveMinimum !== undefined) parts.push(`above ${node.exclusiveMinimum}`);
  if (node.minItems !== undefined) parts.push(`at least ${node.minItems} ${node.minItems === 1 ? 'entry' : 'entries'}`);
  if (node.maxItems !== undefined) parts.push(`at most ${node.maxItems} entries`);
  if (node.items) {
    const each = allowed(node.items);
    if (each) parts.push(`each ${each}`);
  }
  if (node.anyOf) {
    for (const choice of node.anyOf) {
      const choiceAllowed = allowed(choice);
      if (choiceAllowed) parts.push(`as ${typeOf(choice)}: ${choiceAllowed}`);
    }
  }
  return parts.join('; ');
}

/** Every setting under a node, depth first in the schema's order, as [path, node, required] rows. */
function settings(node, prefix, rows = []) {
  for (const variant of node.anyOf || [node]) {
    if (variant.properties) {
      const required = new Set(variant.required || []);
      for (const [key, child] of Object.entries(variant.properties)) {
        const childPath = `${prefix}.${key}`;
        rows.push([childPath, child, required.has(key)]);
        settings(child, childPath, rows);
      }
    }
    if (variant.items && typeof variant.items === 'object') settings(variant.items, `${prefix}[]`, rows);
    if (variant.additionalProperties && typeof variant.additionalProperties === 'object') {
      settings(variant.additionalProperties, `${prefix}.<name>`, rows);
    }
  }
  return rows;
}

function indent(text) {
  return text.split('\n').map((line) => (line.trim() ? `  ${line.trimEnd()}` : '')).join('\n');
}

function entry(settingPath, node, required) {
  const { text, byDefault } = splitDefault(node.description);
  const facts = [typeOf(node)];
  const values = allowed(node);
  if (values) facts.push(values);
  if (required) facts.push('required');
  if (node.default !== undefined) facts.push(`default ${code(node.default)}`);
  else if (byDefault !== undefined) facts.push(`default: ${byDefault}`);
  const lines = [`- **${code(settingPath)}**: ${facts.join('; ')}`];
  if (text) lines.push(indent(text));
  return lines.join('\n');
}

function anchor(heading) {
  return heading.toLowerCase().replace(/[^a-z0-9 _-]/g, '').replace(/ /g, '-');
}

/** The page, from a parsed schema. */
function render(schema) {
  const topLevel = Object.entries(schema.properties);
  const out = [
    '<!-- Generated by scripts/config-reference.js from schema/platform-config.schema.json: do not edit by hand.',
    '     `npm run docs` rewrites it; a test fails when it is stale. -->',
    '# Configuration reference',
    '',
    'Every setting of a platform config (`config/<name>.yaml`, or the props of `DifyPlatform`), generated from the',
    'JSON Schema the package ships (`npx dify-kubeblocks schema` prints its path). Each entry gives the setting\'s path,',
    'its type, the values the schema allows, its default, and its documentation. Every setting is optional unless marked',
    'required, and an unknown key is refused. What the schema cannot express (a version a release line offers, a cron',
    'field\'s range, rules across settings) synth still checks; the [settings guide](settings-guide.md) explains the',
    'settings with examples.',
    '',
    'In paths, `[]` is an entry of a list and `<name>` any key of a map.',
    '',
    '| setting | type |',
    '|---|---|',
    ...topLevel.map(([key, node]) => `| [${code(key)}](#${anchor(key)}) | ${typeOf(node).replace(/\|/g, '\\|')} |`),
  ];
  for (const [key, node] of topLevel) {
    out.push('', `## ${key}`, '', entry(key, node, false));
    const rows = settings(node, key);
    if (rows.length) out.push('', ...rows.map(([settingPath, child, required]) => entry(settingPath, child, required)));
  }
  return `${out.join('\n')}\n`;
}

function main(argv) {
  const unknown = argv.filter((arg) => arg !== '--check');
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  if (unknown.length) {
    console.error(`config-reference: ${unknown.join(' ')} is not an option\n${USAGE}`);
    return 2;
  }
  const text = render(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')));
  const relative = path.relative(ROOT, OUT);
  if (argv.includes('--check')) {
    const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : undefined;
    if (current === text) return 0;
    console.error(`${relative} is stale: run npm run docs`);
    return 1;
  }
  fs.writeFileSync(OUT, text);
  console.log(relative);
  return 0;
}

module.exports = { render, SCHEMA, OUT };

if (require.main === module) process.exitCode = main(process.argv.slice(2));
