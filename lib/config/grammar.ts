import { BlockList, isIP } from 'node:net';
/**
 * The grammars Kubernetes and container registries apply to names, written once so that the config schema refuses
 * what an API server or a kubelet would refuse later (apimachinery's validation, the distribution reference
 * grammar).
 */

/** A DNS-1123 label: namespaces, label values of names. */
export const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** A DNS-1123 subdomain: Secret, ConfigMap, StorageClass and IngressClass names. */
export const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
export const MAX_SUBDOMAIN = 253;

/** The name part of a qualified name (annotation and label keys): 63 characters at most. */
const QUALIFIED_NAME_PART = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** An annotation or label key: `[prefix/]name`, the prefix a DNS subdomain. */
export function isQualifiedName(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && !(prefix.length <= MAX_SUBDOMAIN && DNS_1123_SUBDOMAIN.test(prefix))) return false;
  return name.length <= 63 && QUALIFIED_NAME_PART.test(name);
}

/**
 * A key of a Secret or ConfigMap, as the API server takes it (IsConfigMapKey, k8s.io/apimachinery validation.go; its
 * length of at most 253 is checked beside it): letters, digits, '-', '_' and '.', but not `.`, `..` or anything
 * starting with `..` (a key is a file name in a mounted volume).
 */
export const CONFIG_KEY = /^(?!\.\.?$)(?!\.\.)[-._a-zA-Z0-9]+$/;

/** An environment variable name as Kubernetes accepts it. */
export const ENV_NAME = /^[-._a-zA-Z][-._a-zA-Z0-9]*$/;

/**
 * A public host name: DNS labels of at most 63 characters, 253 in all, and a top-level label that is not a number
 * (so no IP address: an Ingress rule's host must be a name).
 */
export function isHostName(host: string): boolean {
  if (host.length > MAX_SUBDOMAIN || !DNS_1123_SUBDOMAIN.test(host)) return false;
  const labels = host.split('.');
  return labels.every((label) => label.length <= 63) && /[a-z]/.test(labels[labels.length - 1]);
}

// The distribution reference grammar: an optional registry host (it has a dot or a port, or is localhost), then
// lowercase path components, then a tag or a digest.
const REGISTRY = '(?:(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?)';
const PATH_COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const TAG = '[\\w][\\w.-]{0,127}';
const DIGEST = 'sha256:[0-9a-f]{64}';
const IMAGE_REFERENCE = new RegExp(`^(?:(${REGISTRY})/)?(${PATH_COMPONENT}(?:/${PATH_COMPONENT})*)(?::(${TAG}))?(?:@(${DIGEST}))?$`);

export interface ImageReference {
  readonly registry?: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

/** Parses an image reference, or returns undefined when a registry would refuse it (e.g. an uppercase repository). */
export function parseImageReference(reference: string): ImageReference | undefined {
  const match = IMAGE_REFERENCE.exec(reference);
  if (!match) return undefined;
  const [, host, path, tag, digest] = match;
  // Without a dot, a port or `localhost`, the first component is a path component of Docker Hub, not a registry.
  const isRegistry = host !== undefined && (/[.:]/.test(host) || host === 'localhost');
  if (host !== undefined && !isRegistry && !new RegExp(`^${PATH_COMPONENT}$`).test(host)) return undefined;
  const repository = isRegistry || host === undefined ? path : `${host}/${path}`;
  if (`${isRegistry ? `${host}/` : ''}${repository}`.length > 255) return undefined;
  return { registry: isRegistry ? host : undefined, repository, tag, digest };
}

/** Whether an image reference names one image for good: a tag other than `latest`, or a digest. */
export function isPinnedImage(reference: string): boolean {
  const parsed = parseImageReference(reference);
  return parsed !== undefined && ((parsed.tag !== undefined && parsed.tag !== 'latest') || parsed.digest !== undefined);
}

/**
 * Addresses no SSRF-proxy setting may open: the cloud metadata endpoints (AWS, GCP, Azure, OpenStack; AWS's IPv6 one)
 * and loopback, which in the proxy's pod is the proxy itself. squid.conf refuses the same ones ahead of the
 * allowPrivate rules (a test holds the two together).
 */
export const NEVER_OPENED: ReadonlyArray<{ readonly address: string; readonly prefix: number; readonly family: 'ipv4' | 'ipv6' }> = [
  { address: '169.254.169.254', prefix: 32, family: 'ipv4' },
  { address: 'fd00:ec2::254', prefix: 128, family: 'ipv6' },
  { address: '127.0.0.0', prefix: 8, family: 'ipv4' },
  { address: '::1', prefix: 128, family: 'ipv6' },
];

/**
 * Whether a valid address or range is a /0, or overlaps the metadata or loopback addresses (either holds the other).
 * node's BlockList compares IPv4-mapped IPv6 forms (::ffff:127.0.0.1) with IPv4 rules, so those are caught too.
 */
export function opensEverythingOrProtected(range: string): boolean {
  const [address, prefixText] = range.split('/');
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  const prefix = prefixText === undefined ? (family === 'ipv6' ? 128 : 32) : Number(prefixText);
  if (prefix === 0) return true;
  const asked = new BlockList();
  asked.addSubnet(address, prefix, family);
  return NEVER_OPENED.some((shielded) => {
    const shieldedList = new BlockList();
    shieldedList.addSubnet(shielded.address, shielded.prefix, shielded.family);
    return asked.check(shielded.address, shielded.family) || shieldedList.check(address, family);
  });
}

/** An IPv4 or IPv6 address, optionally with a CIDR prefix length (what squid's `dst` ACL takes). */
export function isAddressOrRange(value: string): boolean {
  const [address, prefix, ...rest] = value.split('/');
  if (rest.length > 0) return false;
  const v4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/.test(address);
  const v6 = !v4 && /^[0-9a-fA-F:]+$/.test(address) && address.includes(':') && (address.match(/::/g) ?? []).length <= 1;
  const bits = v4 ? 32 : 128;
  return (v4 || v6) && (prefix === undefined || (/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits));
}

/**
 * Addresses that are no server of the user's, as the host of a database or vector store: loopback (in a Dify pod,
 * the pod itself), link-local (the node; the cloud metadata endpoint 169.254.169.254 among them) and the
 * unspecified address. The SSRF proxy refuses the same for Dify's outgoing requests.
 */
export function isLocalAddress(host: string): boolean {
  const family = isIP(host);
  if (family === 0) return /^localhost\.?$/i.test(host) || /\.localhost\.?$/i.test(host);
  const local = new BlockList();
  local.addSubnet('127.0.0.0', 8, 'ipv4');
  local.addSubnet('169.254.0.0', 16, 'ipv4');
  local.addSubnet('0.0.0.0', 8, 'ipv4');
  local.addSubnet('::1', 128, 'ipv6');
  local.addSubnet('fe80::', 10, 'ipv6');
  local.addSubnet('fd00:ec2::254', 128, 'ipv6');
  local.addAddress('::', 'ipv6');
  return local.check(host, family === 6 ? 'ipv6' : 'ipv4');
}

/** Namespaces Kubernetes keeps for itself (its control plane, public info, node heartbeats): no platform or chart object belongs there. */
export const SYSTEM_NAMESPACES: readonly string[] = ['kube-system', 'kube-public', 'kube-node-lease'];

/**
 * Query parameters that carry a credential in a URL, by what their name ends with once case and `-_.` are dropped:
 * signatures and keys (an Azure SAS's `sig`, a presigned S3 URL's `X-Amz-Signature`, `X-Amz-Credential` and
 * `X-Amz-Security-Token`), tokens (`access_token`, `auth`), passwords (`pwd`, `pass`) and API keys (`api-key`).
 */
const CREDENTIAL_QUERY = /(sig|signature|credential|credentials|token|secret|password|passwd|pwd|pass|key|auth|authorization|session)$/;

function isCredentialParameter(name: string): boolean {
  return CREDENTIAL_QUERY.test(name.toLowerCase().replace(/[-_.]/g, ''));
}

/**
 * Why a URL must not be written into the config, or undefined when it may: one that carries a credential (a
 * `user:password@` part, a signature or key in its query) would put it into dist/ and git in plain text.
 */
export function urlCredentialProblem(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  const keys = [...new Set([...parsed.searchParams.keys()].filter(isCredentialParameter))];
  const where = parsed.username || parsed.password ? '(user:password@)' : keys.length > 0 ? `in its query (${keys.join(', ')})` : undefined;
  return where && `holds a credential ${where}, which would reach dist/ and git in plain text`;
}
