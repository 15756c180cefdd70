/**
 * A server's host, port and URL as a values file gives them, checked before they are carried: the config holds what
 * synth takes, and a value that is not one is a note naming the setting, never the value (a `user:password@` or a
 * key in a URL would otherwise be written to the config and printed, in plain text).
 */
import { z } from 'zod';
import { urlCredentialProblem } from '../config/grammar';
import { serverHost } from '../config/data-tier-schema';
import { serverUrl } from '../config/schema-parts';

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** The first thing the config schema refuses in `value` (its own words), or undefined: the importers carry what synth takes. */
function schemaProblem(schema: z.ZodTypeAny, value: unknown): string | undefined {
  const result = schema.safeParse(value);
  return result.success ? undefined : result.error.issues[0]?.message;
}

/** Why `value` is not a server's host for `setting` (its DNS name or address), or undefined. */
export function serverHostProblem(value: unknown, setting: string): string | undefined {
  if (typeof value !== 'string' || value === '') return `it is not a host name: give ${setting}.host by hand`;
  // The credential first: the schema's own line would not say that the value holds one.
  const credential = urlCredentialProblem(SCHEME.test(value) ? value : `tcp://${value}`);
  if (credential) return `a plaintext secret: it ${credential}; give ${setting}.host as the server's name alone, and the credential through its Secret`;
  const problem = schemaProblem(serverHost, value);
  return problem ? `it ${problem}: give ${setting}.host by hand` : undefined;
}

/** The port a values file gives (a number, or digits in a string), or undefined when it is not one from 1 to 65535. */
export function portValue(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** Why `value` is not a server URL for `setting` (http or https, no credential, not loopback), or undefined. */
export function serverUrlProblem(value: unknown, setting: string): string | undefined {
  if (typeof value !== 'string') return `it is not an http:// or https:// URL: give ${setting} by hand`;
  const credential = SCHEME.test(value) ? urlCredentialProblem(value) : undefined;
  if (credential) return `a plaintext secret: it ${credential}; give ${setting} without it, and the credential through its Secret`;
  const problem = schemaProblem(serverUrl(), value);
  return problem ? `it ${problem}: give ${setting} by hand` : undefined;
}
