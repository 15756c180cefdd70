/** Schema pieces every part of the config schema uses. */
import { z } from 'zod';
import { DNS_1123_SUBDOMAIN, MAX_SUBDOMAIN } from './grammar';

/** An object that rejects keys it does not know, naming the ones it does. */
export function section<T extends z.ZodRawShape>(shape: T) {
  const known = Object.keys(shape).join(', ');
  return z.strictObject(shape, {
    error: (issue) => issue.code === 'unrecognized_keys'
      ? `unknown setting ${issue.keys.map((key) => `"${key}"`).join(', ')}; known settings here: ${known}`
      : issue.code === 'invalid_type' ? `must be a mapping of settings (${known})` : undefined,
  });
}

export const dnsSubdomain = (what: string) => z.string({ error: `must be a ${what}` })
  .regex(DNS_1123_SUBDOMAIN, { error: `must be a ${what}: lowercase letters, digits, '-' and '.'` })
  .max(MAX_SUBDOMAIN, { error: `must be a ${what} of at most ${MAX_SUBDOMAIN} characters` });

