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

/** A key of a Secret or ConfigMap. */
export const CONFIG_KEY = /^[-._a-zA-Z0-9]+$/;

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

/** The cloud metadata endpoint (AWS, GCP, Azure, OpenStack): never to be reached through the SSRF proxy. */
const METADATA_IPV4 = [169, 254, 169, 254];

/** Whether a valid address or range is a /0, or an IPv4 range that holds the metadata address. */
export function opensEverythingOrMetadata(range: string): boolean {
  const [address, prefix] = range.split('/');
  if (prefix !== undefined && Number(prefix) === 0) return true;
  const octets = address.split('.').map(Number);
  if (octets.length !== 4) return false;
  const bits = prefix === undefined ? 32 : Number(prefix);
  const asNumber = (parts: number[]) => parts.reduce((total, part) => total * 256 + part, 0);
  const size = 2 ** (32 - bits);
  return Math.floor(asNumber(octets) / size) === Math.floor(asNumber(METADATA_IPV4) / size);
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
