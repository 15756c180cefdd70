/** `dify.egressProxy`: the corporate proxy Dify's own calls to the internet go through. */

/**
 * A corporate HTTP proxy between the cluster and the internet. api, worker, beat, the migration Jobs, the plugin
 * daemon (and the plugins and `uv` installs it runs) and Agent v2's backend get `HTTP_PROXY`, `HTTPS_PROXY` and a
 * `NO_PROXY` that always holds the cluster's Services, the platform's databases (external ones too) and the cloud
 * metadata addresses. The sandboxes never get it: they go only through their SSRF proxy, which sends what it lets
 * out to this proxy as its parent.
 */
export interface EgressProxySettings {
  /** The proxy's URL, `http://host:port`, with no credential in it (the proxy is expected to admit the cluster's egress addresses). */
  readonly httpProxy: string;
  /** The proxy for `https://` destinations (a CONNECT tunnel through it). @default - httpProxy */
  readonly httpsProxy?: string;
  /**
   * More destinations reached without the proxy: host names (`git.corp.example.com`), domains with a leading dot
   * (`.corp.example.com`), addresses. A CIDR range is honoured by the plugin daemon (Go) and `requests`, not by httpx
   * (api, agent backend), so name hosts where you can. At most 256 entries: each is in the
   * `NO_PROXY` of every pod behind the proxy.
   * @default []
   */
  readonly noProxy?: readonly string[];
}
