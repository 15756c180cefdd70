/**
 * A server's host, port and URL as a values file gives them, checked before they are carried: the config holds what
 * synth takes, and a value that is not one is a note naming the setting, never the value (a `user:password@` or a
 * key in a URL would otherwise be written to the config and printed, in plain text).
 */
import { isIP } from 'net';
import { isHostName, isLocalAddress, urlCredentialProblem } from '../config/grammar';

const SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;

/** Why `value` is not a server's host for `setting` (its DNS name or address), or undefined. */
export function serverHostProblem(value: unknown, setting: string): string | undefined {
  if (typeof value !== 'string' || value === '') return `it is not a host name: give ${setting}.host by hand`;
  const credential = urlCredentialProblem(SCHEME.test(value) ? value : `tcp://${value}`);
  if (credential) return `a plaintext secret: it ${credential}; give ${setting}.host as the server's name alone, and the credential through its Secret`;
  if (!isHostName(value) && isIP(value) === 0) return `it is not a DNS name or an IP address (no scheme, port or path): give ${setting}.host by hand`;
  if (isLocalAddress(value)) return `it is loopback or link-local, which in a pod is the pod or its node: give ${setting}.host as the server's address`;
  return undefined;
}

/** The port a values file gives (a number, or digits in a string), or undefined when it is not one from 1 to 65535. */
export function portValue(value: unknown): number | undefined {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  return port >= 1 && port <= 65535 ? port : undefined;
}

/** Why `value` is not a server URL for `setting` (http or https, no credential, not loopback), or undefined. */
export function serverUrlProblem(value: unknown, setting: string): string | undefined {
  if (typeof value !== 'string' || !/^https?:\/\/[^\s]+$/.test(value)) return `it is not an http:// or https:// URL: give ${setting} by hand`;
  const credential = urlCredentialProblem(value);
  if (credential) return `a plaintext secret: it ${credential}; give ${setting} without it, and the credential through its Secret`;
  let host = '';
  try {
    host = new URL(value).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return `it is not an http:// or https:// URL: give ${setting} by hand`;
  }
  if (isLocalAddress(host)) return `it is loopback or link-local, which in a pod is the pod or its node: give ${setting} as the server's address`;
  return undefined;
}
