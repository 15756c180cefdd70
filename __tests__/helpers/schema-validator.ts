import * as fs from 'fs';
import * as path from 'path';
import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';
import { hasThirdParty, thirdPartyFile } from './third-party';
import { recordMissing } from './required-tool';

/**
 * Validates synthesized objects the way the API server would accept them: KubeBlocks kinds against the CRD
 * openAPIV3Schema of their exact apiVersion (imports/schemas, written by `npm run import`), the kinds of Gateway API,
 * External Secrets and Prometheus Operator (and KubeBlocks' BackupRepo) against their CRDs in the third-party folder's
 * crds/ (helpers/third-party.ts), core kinds against the Kubernetes OpenAPI schema through kubernetes-models.
 * Returns the problems, empty when the object is valid. Where the third-party CRDs are absent (a user's clone),
 * objects of their groups are not validated, and the summary lists that as skipped (in CI it fails).
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

/** The CRD files of the kinds not in imports/schemas, relative to the third-party folder. */
const THIRD_PARTY_CRDS = [
  'crds/gateway-api/v1.6.1/gateway.networking.k8s.io_httproutes.yaml',
  'crds/external-secrets/v2.9.0/external-secrets.io_externalsecrets.yaml',
  'crds/prometheus-operator/v0.93.0/monitoring.coreos.com_podmonitors.yaml',
  'crds/kubeblocks/1.0/dataprotection.kubeblocks.io_backuprepos.yaml',
];
/** The API groups of those CRDs: what cannot be validated without them. */
const THIRD_PARTY_GROUPS = ['gateway.networking.k8s.io', 'external-secrets.io', 'monitoring.coreos.com', 'dataprotection.kubeblocks.io'];

/**
 * The third-party CRDs of the kinds not in imports/schemas (KubeBlocks' Cluster and OpsRequest come from there: the
 * same schemas, trimmed, read 20 times faster): every served version's schema by `apiVersion kind`. A version a
 * real API server does not serve has no schema here, so its objects are refused.
 */
function thirdPartyCrdSchemas(): Map<string, object> {
  const schemas = new Map<string, object>();
  for (const file of THIRD_PARTY_CRDS) {
    const crd = parse(fs.readFileSync(thirdPartyFile(file), 'utf8'));
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
  const withCrds = hasThirdParty(...THIRD_PARTY_CRDS);
  if (!withCrds) recordMissing(`objects of ${THIRD_PARTY_GROUPS.join(', ')} are not validated: the third-party CRDs ${THIRD_PARTY_CRDS.join(', ')} are not beside the checkout`);
  const schemas = new Map([...(withCrds ? thirdPartyCrdSchemas() : []), ...crdSchemas()]);
  const crds = new Map<string, ValidateFunction>();
  const ajv = kubernetesAjv();
  return (object) => {
    const where = `${object.apiVersion} ${object.kind}`;
    if (!crds.has(where) && schemas.has(where)) crds.set(where, ajv.compile(closeObjects(schemas.get(where)) as object));
    const crd = crds.get(where);
    if (!crd && !withCrds && THIRD_PARTY_GROUPS.includes(object.apiVersion.split('/')[0])) return [];
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
