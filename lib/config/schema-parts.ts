/** Schema pieces every part of the config schema uses: sections, names, numbers, quantities, URLs. */
import { z } from 'zod';
import { DNS_LABEL_PATTERN, MAX_DNS_LABEL } from '../kubeblocks/naming';
import { QUANTITY, quantityValue } from '../quantity';
import { CONFIG_KEY, DNS_1123_SUBDOMAIN, isLocalAddress, isQualifiedName, MAX_SUBDOMAIN, urlCredentialProblem } from './grammar';

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

/**
 * The most replicas a setting takes: what makes sense for the engine or component, far below int32. A typo such as
 * 999999999 is refused here instead of reaching the API server (or exhausting memory while synthesizing).
 */
export const MAX_REPLICAS = {
  /** Streaming replicas of one primary: more than a handful only adds replication load. */
  postgresql: 16,
  /** Replicas of one Redis primary. */
  redis: 16,
  /** Raft peers: Qdrant scales out by adding peers. */
  qdrant: 64,
  /** Sentinels: an odd quorum; more than 9 only slows failover agreement. */
  sentinel: 9,
  /** A Dify Deployment. */
  dify: 100,
  /** Milvus standalone runs one pod. */
  milvus: 1,
} as const;

/** The largest quantity Kubernetes can store (its int64 in milli-units). */
const MAX_QUANTITY = 2 ** 63 / 1000;

/** A positive Kubernetes quantity: negative, zero and unrepresentable sizes are refused. */
export const quantity = (example: string) => z.union([z.string(), z.number()], { error: `must be a Kubernetes quantity such as ${example}` })
  .transform(String)
  .pipe(z.string().regex(QUANTITY, {
    error: `must be a Kubernetes quantity such as ${example} (suffixes: m, k, M, G, T, P, E, Ki, Mi, Gi, Ti, Pi, Ei)`,
  }).refine((text) => !QUANTITY.test(text) || quantityValue(text) > 0, { error: `must be more than 0, such as ${example}` })
    .refine((text) => !QUANTITY.test(text) || quantityValue(text) < MAX_QUANTITY, { error: `must be a size Kubernetes can hold, such as ${example}` }));

/**
 * A size in bytes (memory, a volume): a quantity of at least 1Mi, never in milli-units. `512m` of memory is half a
 * kilobyte of thousandths of a byte, almost always a mistyped `512Mi`; below 1Mi no container or volume is usable.
 * A binary fraction such as the seed's `0.2Gi` passes: Kubernetes rounds it up to the next whole byte.
 */
export const bytes = (example: string) => quantity(example)
  .refine((text) => !QUANTITY.test(text) || !/m$/.test(text), { error: `must not be in milli-units (m): did you mean Mi? such as ${example}` })
  .refine((text) => !QUANTITY.test(text) || /m$/.test(text) || quantityValue(text) <= 0 || quantityValue(text) >= 2 ** 20, { error: `must be at least 1Mi, such as ${example}` });

/** A URL that carries no credential (grammar.ts). */
export const url = (pattern: RegExp, message: string) => z.string({ error: 'must be a URL' }).regex(pattern, { error: message })
  .superRefine((text, ctx) => {
    const problem = urlCredentialProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', input: '(hidden)', message: `${problem}: give the URL without it and the credential through the setting's Secret` });
  });
export const httpUrl = () => url(/^https?:\/\/[^\s]+$/, 'must be an http:// or https:// URL');
/** An http(s) URL of a server the platform's pods reach: not loopback, link-local or unspecified (grammar.ts). */
export const serverUrl = () => httpUrl().refine((text) => !isLocalAddress(hostOf(text)), {
  error: 'must be a server Dify can reach: loopback (in a pod, the pod itself), link-local (the node, the cloud metadata endpoint) and the unspecified address are not',
});

function hostOf(text: string): string {
  try {
    return new URL(text).hostname.replace(/^\[|\]$/g, '');
  } catch {
    return '';
  }
}

/** A whole number between `min` and `max`. */
export function wholeNumber(min: number, max: number, why = '') {
  const message = `must be a whole number from ${min} to ${max}${why}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).max(max, { error: message });
}

export const replicas = (max: number) => wholeNumber(1, max);

export const dnsLabel = (what: string) => z.string({ error: `must be a ${what}: lowercase letters, digits and '-', starting with a letter` })
  .regex(DNS_LABEL_PATTERN, { error: `must be a ${what}: lowercase letters, digits and '-', starting with a letter and ending with a letter or digit` })
  .max(MAX_DNS_LABEL, { error: `must be a ${what} of at most ${MAX_DNS_LABEL} characters` });

export const resources = section({
  requests: section({ cpu: quantity('500m or 1').optional(), memory: bytes('512Mi or 2Gi').optional() }).optional(),
  limits: section({ cpu: quantity('500m or 1').optional(), memory: bytes('512Mi or 2Gi').optional() }).optional(),
});

export const keyRef = section({
  name: dnsSubdomain('Secret or ConfigMap name'),
  key: z.string({ error: 'must be a key name' }).regex(CONFIG_KEY, { error: "must be a key name: letters, digits, '-', '_' and '.', not . or .. nor starting with .." })
    .max(MAX_SUBDOMAIN, { error: `must be a key name of at most ${MAX_SUBDOMAIN} characters` }),
});

/**
 * The most entries, and bytes (keys and values), one setting's labels or annotations may hold. The API server refuses
 * an object whose annotations add up to more than 256 KiB (apimachinery's TotalAnnotationSizeLimitB); a setting's
 * share leaves the rest to the object's own. The entry cap keeps synth's cost bounded: the generated Kubernetes
 * classes copy a metadata map once per entry while they write it, so their cost grows with the square of its size.
 */
export const METADATA_LIMITS = { entries: 128, bytes: 64 * 1024 } as const;

/** A refinement that holds a labels or annotations map to {@link METADATA_LIMITS}. */
export function withinMetadataLimits(what: string) {
  return (map: Record<string, string>, ctx: z.RefinementCtx): void => {
    const entries = Object.keys(map).length;
    const bytes = Object.entries(map).reduce((sum, [key, value]) => sum + Buffer.byteLength(key) + Buffer.byteLength(value), 0);
    if (entries > METADATA_LIMITS.entries) {
      ctx.addIssue({ code: 'custom', input: `(${entries} ${what})`, message: `holds ${entries} ${what}; at most ${METADATA_LIMITS.entries} are taken` });
    } else if (bytes > METADATA_LIMITS.bytes) {
      ctx.addIssue({ code: 'custom', input: `(${bytes} bytes of ${what})`,
        message: `holds ${bytes} bytes of ${what}; at most ${METADATA_LIMITS.bytes} are taken (Kubernetes refuses an object's annotations over 256 KiB in all)` });
    }
  };
}

export const annotations = z.record(z.string(), z.string({ error: 'must be a string (quote it in YAML)' }), { error: 'must be a mapping of annotation names to strings' })
  .superRefine((map, ctx) => {
    for (const key of Object.keys(map).filter((name) => !isQualifiedName(name))) {
      ctx.addIssue({ code: 'custom', path: [key], input: key,
        message: 'must be an annotation name such as example.com/setting (a DNS prefix, "/", and a name of at most 63 letters, digits, "-", "_" and ".")' });
    }
  })
  .superRefine(withinMetadataLimits('annotations'));
