/**
 * `dify.egressProxy` given hostile input: a loopback proxy spelled as a number, and a noProxy list too long for the
 * environment it lands in. Each is one line, before anything is written.
 */
import { synthPlatform } from '../helpers/synth';
import { configProblems } from '../helpers/configs';

const PROXY = 'http://proxy.corp.example.com:3128';

test('a proxy host that a resolver reads as an address (2130706433, 0x7f.1 are 127.0.0.1) is refused as no proxy URL', () => {
  // glibc's getaddrinfo and Go's cgo resolver take these inet_aton spellings, so the loopback check alone would miss them.
  for (const httpProxy of ['http://2130706433:3128', 'http://0x7f.1:3128', 'http://127.1:3128']) {
    expect(configProblems({ dify: { egressProxy: { httpProxy } } })).toEqual([
      `env.yaml: dify.egressProxy.httpProxy: "${httpProxy}" is not allowed: must be the proxy's http:// URL with its port, such as http://proxy.corp.example.com:3128 (no path)`]);
  }
  expect(configProblems({ dify: { egressProxy: { httpProxy: 'http://Proxy.Corp.example.com:3128' } } })).toEqual([]);
});

test('a noProxy list past 256 entries is one line: its NO_PROXY would pass 128 KiB, which Linux refuses to start a program with', () => {
  const noProxy = Array.from({ length: 10_000 }, (_, index) => `host${index}.corp.example.com`);
  const started = Date.now();
  expect(configProblems({ dify: { egressProxy: { httpProxy: PROXY, noProxy } } })).toEqual([
    'env.yaml: dify.egressProxy.noProxy: "(10000 entries)" is not allowed: holds 10000 entries; at most 256 are taken (each is in NO_PROXY of every pod behind the proxy): name domains (.corp.example.com) or ranges instead of hosts']);
  expect(Date.now() - started).toBeLessThan(5000);
});

test('the longest list taken still starts: every NO_PROXY it gives stays under 128 KiB', () => {
  const label = 'a'.repeat(61);
  const noProxy = Array.from({ length: 256 }, (_, index) => `h${String(index).padStart(3, '0')}.${label}.${label}.${label}.example.com`);
  const values = synthPlatform({ dify: { egressProxy: { httpProxy: PROXY, noProxy } } }).flatMap((object) => JSON.stringify(object)
    .match(/"name":"NO_PROXY","value":"[^"]*"/g) ?? []);
  expect(values.length).toBeGreaterThan(0);
  for (const value of values) expect(Buffer.byteLength(value)).toBeLessThan(128 * 1024);
});
