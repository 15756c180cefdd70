/**
 * Whether a setting holds a credential, decided from what it is, not from its name alone: the name (wired-env.ts's
 * isCredentialName, and the settings Dify's config classes read as secrets whose names say nothing), and the value
 * itself, which is refused under any name when it has the shape of a credential. The same rule for a user's env
 * (dify-rules.ts), a chart's env (harden.ts) and the values importers, so no path lets one through.
 */
import { isCredentialName } from './wired-env';

/**
 * Dify settings that hold a credential although no part of their name says so (api/configs at 1.16.1:
 * `GoogleCloudStorageConfig`, `OracleConfig`, `CouchbaseConfig`, `ChromaConfig`).
 */
const CREDENTIAL_SETTINGS = new Set(['GOOGLE_STORAGE_SERVICE_ACCOUNT_JSON_BASE64', 'ORACLE_DSN', 'COUCHBASE_CONNECTION_STRING', 'CHROMA_AUTH_CREDENTIALS']);

/** Names whose credential-like part is about a credential, not one: a retention, a switch, a path, a kind. */
const ABOUT_A_CREDENTIAL = /_(DAYS|HOURS|MINUTES|SECONDS|TTL|ENABLED|TIMEOUT|LIMIT|COUNT|SIZE|LENGTH|REQS|PATH|FILE|TYPE|METHOD|PROVIDER|VERSION|ID|NAME|HEADER)$/;

/** Values with the shape of a credential, whatever the variable is called, and what each is. */
const CREDENTIAL_SHAPES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(Bearer|Basic|Token)\s+\S{8,}/i, 'an Authorization header'],
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'a private key'],
  [/^eyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]+$/, 'a JSON Web Token'],
  [/^(sk|rk|pk)-[A-Za-z0-9_-]{20,}$/, 'an API key'],
  [/^(ghp|gho|ghs|ghu|github_pat|glpat|xox[abprs])[-_][A-Za-z0-9_-]{16,}$/, 'an access token'],
  [/^(AKIA|ASIA)[0-9A-Z]{16}$/, 'an AWS access key'],
  [/^AIza[0-9A-Za-z_-]{35}$/, 'a Google API key'],
];

/** A base64 text that decodes to JSON of a cloud service account (its private key in it). */
function isServiceAccountBase64(value: string): boolean {
  if (!/^[A-Za-z0-9+/=\s]{40,}$/.test(value)) return false;
  const decoded = Buffer.from(value.replace(/\s+/g, ''), 'base64').toString('utf8');
  return /"private_key"\s*:/.test(decoded) || /"type"\s*:\s*"service_account"/.test(decoded);
}

/** What kind of credential a value looks like, or undefined. */
export function credentialShapeOf(value: string): string | undefined {
  const trimmed = value.trim();
  const shape = CREDENTIAL_SHAPES.find(([pattern]) => pattern.test(trimmed));
  if (shape) return shape[1];
  if (isServiceAccountBase64(trimmed)) return 'a service account\'s key (base64 JSON)';
  if (/^\s*\{[\s\S]*"private_key"\s*:/.test(trimmed)) return 'a service account\'s key (JSON)';
  return undefined;
}

/**
 * Why `name: value` may not be written in plain text, or undefined: a name that says it holds a credential (and is
 * not about one, like a retention in days), a Dify setting that is one, or a value shaped like one.
 */
export function plaintextCredential(name: string, value: unknown): string | undefined {
  if ((typeof value !== 'string' && typeof value !== 'number') || String(value).trim() === '') return undefined;
  const text = String(value);
  const upper = name.toUpperCase();
  if (CREDENTIAL_SETTINGS.has(upper)) return `${name} holds a credential`;
  if (isCredentialName(name) && !ABOUT_A_CREDENTIAL.test(upper) && !/^(true|false)$/i.test(text)) return `${name} looks like a credential`;
  const shape = credentialShapeOf(text);
  return shape && `${name} holds what looks like ${shape}`;
}
