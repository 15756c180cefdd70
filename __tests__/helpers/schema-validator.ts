import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

/**
 * Validates synthesized objects the way the API server would accept them: KubeBlocks kinds against the CRD
 * openAPIV3Schema of their exact apiVersion (imports/schemas, written by `npm run import`), the kinds of Gateway API,
 * External Secrets and Prometheus Operator (and KubeBlocks' BackupRepo) against their CRDs in vendor/crds, core kinds against the Kubernetes
 * OpenAPI schema through kubernetes-models. Returns the problems, empty when the object is valid.
 *
 * Stricter than the API server in one way on purpose: a field a CRD schema does not declare is an error here,
 * where the server would silently prune it (and the setting would be lost without a word).
 * Not checked: the CRDs' CEL rules (`x-kubernetes-validations`); the rules that matter for what we write (component
 * name uniqueness and limits) are enforced by the config schema.
 */
export type Validate = (object: { apiVersion: string; kind: string }) => string[];

const SCHEMA_DIR = path.join(__dirname, '..', '..', 'imports', 'schemas');

const INT_RANGES: Record<string, [number, number]> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
};

function kubernetesAjv(): Ajv {
  // The CRDs' patterns are Go regular expressions; some (`\-` outside a class) are invalid under JavaScript's u flag.
  const ajv = new Ajv({ allErrors: true, strict: true, strictTypes: false, allowUnionTypes: true, unicodeRegExp: false });
  addFormats(ajv);
  for (const [format, [min, max]] of Object.entries(INT_RANGES)) {
    ajv.addFormat(format, { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= min && n <= max });
  }
  ajv.addKeyword({
    keyword: 'x-kubernetes-int-or-string',
    schemaType: 'boolean',
    validate: (on: boolean, data: unknown) => !on || typeof data === 'string' || Number.isInteger(data),
    errors: false,
  });
  // Structural hints for the API server (list merging, CEL, pruning); they constrain nothing ajv can check.
  for (const keyword of ['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys',
    'x-kubernetes-map-type', 'x-kubernetes-validations', 'x-kubernetes-embedded-resource']) {
    ajv.addKeyword({ keyword });
  }
  return ajv;
}

/** Objects with declared properties reject undeclared ones, unless the schema says to keep unknown fields. */
function closeObjects(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(closeObjects);
  if (node === null || typeof node !== 'object') return node;
  const schema: Record<string, unknown> = Object.fromEntries(
    Object.entries(node).map(([key, value]) => [key, key === 'enum' || key === 'default' ? value : closeObjects(value)]));
  if (schema.properties && schema.additionalProperties === undefined && !schema['x-kubernetes-preserve-unknown-fields']) {
    schema.additionalProperties = false;
  }
  return schema;
}

const VENDORED_CRDS = path.join(__dirname, '..', '..', 'vendor', 'crds');

/** KubeBlocks' Cluster and OpsRequest come from imports/schemas instead: the same schemas, trimmed, read 20 times faster. */
const IMPORTED = /(_clusters|_opsrequests)\.yaml$/;

/**
 * The vendored CRDs (vendor/crds) of the kinds not in imports/schemas: every served version's schema by
 * `apiVersion kind`. A version a real API server does not serve has no schema here, so its objects are refused.
 */
function vendoredCrdSchemas(): Map<string, object> {
  const schemas = new Map<string, object>();
  const files = fs.readdirSync(VENDORED_CRDS, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.yaml') && !IMPORTED.test(name));
  for (const file of files.sort()) {
    const crd = parse(fs.readFileSync(path.join(VENDORED_CRDS, file), 'utf8'));
    for (const version of (crd?.spec?.versions ?? []).filter((candidate: { served: boolean }) => candidate.served)) {
      schemas.set(`${crd.spec.group}/${version.name} ${crd.spec.names.kind}`, version.schema.openAPIV3Schema);
    }
  }
  return schemas;
}

/** The KubeBlocks schemas of imports/schemas by `apiVersion kind`; each is compiled when an object of it is first seen. */
function crdSchemas(): Map<string, object> {
  const schemas = new Map<string, object>();
  for (const line of fs.readdirSync(SCHEMA_DIR)) {
    for (const file of fs.readdirSync(path.join(SCHEMA_DIR, line))) {
      const schemaFile = JSON.parse(fs.readFileSync(path.join(SCHEMA_DIR, line, file), 'utf8'));
      schemas.set(`${schemaFile.apiVersion} ${schemaFile.kind}`, schemaFile.openAPIV3Schema);
    }
  }
  return schemas;
}

/** kubernetes-models lays its classes out by group and version: `v1`, `apps/v1`, `networking.k8s.io/v1`. */
function coreModel(apiVersion: string, kind: string): (new (data: object) => { validate(): void }) | undefined {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require(`kubernetes-models/${apiVersion}`)[kind];
  } catch {
    return undefined;
  }
}

export function schemaValidator(): Validate {
  // Compiling every CRD up front took seconds per test file; most files meet a few kinds.
  const schemas = new Map([...vendoredCrdSchemas(), ...crdSchemas()]);
  const crds = new Map<string, ValidateFunction>();
  const ajv = kubernetesAjv();
  return (object) => {
    const where = `${object.apiVersion} ${object.kind}`;
    if (!crds.has(where) && schemas.has(where)) crds.set(where, ajv.compile(closeObjects(schemas.get(where)) as object));
    const crd = crds.get(where);
    if (crd) {
      return crd(object) ? [] : (crd.errors ?? []).map((error) => `${where}: ${error.instancePath || '/'} ${error.message}`);
    }
    const Model = coreModel(object.apiVersion, object.kind);
    if (!Model) return [`${where}: no schema known for this kind`];
    try {
      new Model(object).validate();
      return [];
    } catch (error) {
      return [`${where}: ${(error as Error).message}`];
    }
  };
}
