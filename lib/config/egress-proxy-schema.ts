/** `dify.egressProxy`: a corporate proxy's URL (no credential, not loopback) and the destinations that skip it. */
import { isIP } from 'net';
import { z } from 'zod';
import { isAddressOrRange, isHostName, isLocalAddress, MAX_SUBDOMAIN, urlCredentialProblem } from './grammar';
import { section } from './schema-parts';

const PROXY_URL = 'must be the proxy\'s http:// URL with its port, such as http://proxy.corp.example.com:3128 (no path)';

/** Why `text` is not a usable proxy URL, or undefined. */
function proxyUrlProblem(text: string): string | undefined {
  const credential = urlCredentialProblem(text);
  // Every program reads the proxy from its environment, and a Pod's environment is in dist/: no password there.
  if (credential) return `${credential}: a proxy that asks for a password is not supported; let the proxy admit the cluster's egress addresses`;
  const match = /^http:\/\/(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):([0-9]{1,5})\/?$/.exec(text);
  if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535) return PROXY_URL;
  const host = match[1].replace(/^\[|\]$/g, '');
  // A name, never an address in another spelling: glibc's and Go's resolvers read 2130706433 or 0x7f.1 as 127.0.0.1,
  // which the loopback check below would not see (isHostName wants a letter in the last label, as an Ingress host).
  if (isIP(host) === 0 && !isHostName(host.toLowerCase())) return PROXY_URL;
  if (isLocalAddress(host)) return 'must be a proxy the pods reach: loopback is the pod itself, link-local the node or the metadata endpoint';
  return undefined;
}

const proxyUrl = z.string({ error: PROXY_URL }).superRefine((text, ctx) => {
  const problem = proxyUrlProblem(text);
  if (problem) ctx.addIssue({ code: 'custom', input: urlCredentialProblem(text) ? '(hidden)' : text, message: problem });
});

const noProxyEntry = z.string({ error: 'must be a host name, a .domain or an address' }).refine((entry) => entry !== '*', {
  error: 'must not be *, which would send nothing through the proxy: remove dify.egressProxy instead',
}).refine((entry) => entry === '*' || isAddressOrRange(entry)
  || /^\.?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(entry), {
  error: 'must be a host name, a domain with a leading dot for its subdomains too (.corp.example.com), an address or a CIDR range',
});

/**
 * The most noProxy entries taken. Each goes into NO_PROXY of every program behind the proxy, with the platform's own
 * entries: Linux refuses to start a program with one environment string over 128 KiB (MAX_ARG_STRLEN), so an
 * unbounded list would pass here and leave every pod failing to start. 256 names of at most 253 characters stay far below.
 */
export const MAX_NO_PROXY = 256;

export const egressProxySection = section({
  httpProxy: proxyUrl,
  httpsProxy: proxyUrl.optional(),
  noProxy: z.array(noProxyEntry.max(MAX_SUBDOMAIN, { error: `must be a host name of at most ${MAX_SUBDOMAIN} characters` }),
    { error: 'must be a list of host names, domains and addresses' })
    .superRefine((entries, ctx) => {
      if (entries.length > MAX_NO_PROXY) {
        ctx.addIssue({ code: 'custom', input: `(${entries.length} entries)`,
          message: `holds ${entries.length} entries; at most ${MAX_NO_PROXY} are taken (each is in NO_PROXY of every pod behind the proxy): name domains (.corp.example.com) or ranges instead of hosts` });
      }
    }).optional(),
});
