/** `dify.egressProxy`: a corporate proxy's URL (no credential, not loopback) and the destinations that skip it. */
import { isIP } from 'net';
import { z } from 'zod';
import { isAddressOrRange, isLocalAddress, urlCredentialProblem } from './grammar';
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
  if (isIP(host) === 0 && !/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/i.test(host)) return PROXY_URL;
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

export const egressProxySection = section({
  httpProxy: proxyUrl,
  httpsProxy: proxyUrl.optional(),
  noProxy: z.array(noProxyEntry, { error: 'must be a list of host names, domains and addresses' }).optional(),
});
