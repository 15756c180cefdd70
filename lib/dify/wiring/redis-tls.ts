/**
 * How each program of Dify's is told to reach Redis over TLS (`redis.external.tls`), from their source:
 *
 * - The api image (api, worker, beat, websocket api, Jobs; Dify 1.13.3 to 1.16.1, redis-py 7.3.0/7.4.0): its cache
 *   client is an SSLConnection when `REDIS_USE_SSL`, with `REDIS_SSL_CERT_REQS` looked up among CERT_NONE,
 *   CERT_OPTIONAL, CERT_REQUIRED (any other spelling silently becomes CERT_NONE) and `REDIS_SSL_CA_CERTS` as the CA
 *   file (api/extensions/ext_redis.py `_get_ssl_configuration`). redis-py checks the host name whenever it checks the
 *   certificate (`ssl_check_hostname` defaults to true since 6.0). Its Sentinel client takes none of these
 *   (`_create_sentinel_client`), which is why TLS is for a direct server only.
 * - Its event bus is a second client made from a URL (`PUBSUB_REDIS_URL`, else one built from REDIS_* with the
 *   `rediss` scheme and no CA or cert_reqs: api/configs/middleware/cache/redis_pubsub_config.py, ext_redis.py
 *   `_create_pubsub_client`, `redis.Redis.from_url`): the platform writes that URL, with `ssl_cert_reqs` and
 *   `ssl_ca_certs` in its query, which redis-py's parse_url hands to the connection.
 * - Celery: a `rediss://` CELERY_BROKER_URL turns on `BROKER_USE_SSL` (api/configs/middleware/__init__.py), and
 *   ext_celery.py then gives the broker and the redis result backend the same cert_reqs and CA file
 *   (`broker_use_ssl`, `redis_backend_use_ssl`). Without that dict Celery 5.6's redis backend refuses a rediss URL
 *   (celery/backends/redis.py E_REDIS_SSL_CERT_REQS_MISSING_INVALID); Dify 0.6.11 passes `ssl_cert_reqs: None`,
 *   which kombu and redis-py read as CERT_NONE, and reads no CA: refused (dify-rules).
 * - The plugin daemon (dify-plugin-daemon 0.5.3 to 0.6.10, internal/types/app/config.go `RedisTLSConfig`):
 *   REDIS_USE_SSL, REDIS_SSL_CERT_REQS (CERT_NONE skips every check; CERT_OPTIONAL and CERT_REQUIRED both verify,
 *   against REDIS_SSL_CA_CERTS when given, else the system roots; CERT_REQUIRED without a CA file panics at start),
 *   and go's tls dialer checks the host name (pkg/utils/cache/redis.go).
 * - Agent v2's backend (Dify 1.16.1 dify-agent/src/dify_agent/server/app.py): `Redis.from_url(DIFY_AGENT_REDIS_URL)`,
 *   the same URL query as the event bus.
 */
import * as k8s from '../../k8s';
import { RedisConnection, RedisTls, RedisTlsVerify } from '../../kubeblocks/connections';
import { env } from '../components/workload';

/** Where the CA bundle is mounted, read-only, in every pod that talks to Redis. */
export const REDIS_CA_DIR = '/etc/dify/redis-ca';
export const REDIS_CA_FILE = `${REDIS_CA_DIR}/ca.crt`;
const VOLUME = 'redis-ca';

/** Python's ssl constant names, which the api image and the daemon read. */
const CERT_REQS: Readonly<Record<RedisTlsVerify, string>> = { required: 'CERT_REQUIRED', none: 'CERT_NONE' };

/** The api image's TLS variables: off (as said before TLS existed), or on with the check and the CA file. */
export function difyRedisTlsEnv(tls: RedisTls | undefined): k8s.EnvVar[] {
  if (!tls) return [env('REDIS_USE_SSL', false)];
  return [
    env('REDIS_USE_SSL', true),
    env('REDIS_SSL_CERT_REQS', CERT_REQS[tls.verify]),
    ...(tls.ca ? [env('REDIS_SSL_CA_CERTS', REDIS_CA_FILE)] : []),
  ];
}

/**
 * The daemon's: the same check said the way it starts with. It refuses CERT_REQUIRED without a CA file, and
 * verifies the same under CERT_OPTIONAL (system roots), so `required` without a CA bundle is said as CERT_OPTIONAL.
 */
export function daemonRedisTlsEnv(tls: RedisTls | undefined): k8s.EnvVar[] {
  if (!tls) return [env('REDIS_USE_SSL', false)];
  const certReqs = tls.verify === 'none' ? 'CERT_NONE' : tls.ca ? 'CERT_REQUIRED' : 'CERT_OPTIONAL';
  return [
    env('REDIS_USE_SSL', true),
    env('REDIS_SSL_CERT_REQS', certReqs),
    ...(tls.ca ? [env('REDIS_SSL_CA_CERTS', REDIS_CA_FILE)] : []),
  ];
}

/**
 * A Redis URL for a client that takes one, the credentials left to Kubernetes' `$(REDIS_USERNAME)` and
 * `$(REDIS_PASSWORD)` (defined before it in the same container), so no password is written. Over TLS it carries
 * redis-py's `ssl_cert_reqs` and `ssl_ca_certs`; `query: false` leaves them to the program (Celery's broker, which
 * Dify gives them itself and whose redis backend would take query values over Dify's).
 */
export function redisUrl(redis: RedisConnection, db: number, options: { address?: string; query?: boolean } = {}): string {
  const tls = redis.tls;
  const base = `${tls ? 'rediss' : 'redis'}://$(REDIS_USERNAME):$(REDIS_PASSWORD)@${options.address ?? `${redis.host}:${redis.port}`}/${db}`;
  if (!tls || options.query === false) return base;
  const query = [`ssl_cert_reqs=${tls.verify}`, ...(tls.ca ? [`ssl_ca_certs=${encodeURIComponent(REDIS_CA_FILE)}`] : [])];
  return `${base}?${query.join('&')}`;
}

/** The CA bundle's volume, for the pods of programs that talk to Redis; none without a bundle. */
export function redisCaVolumes(redis: RedisConnection): k8s.Volume[] {
  const ca = redis.tls?.ca;
  if (!ca) return [];
  const items = [{ key: ca.key, path: 'ca.crt' }];
  return [ca.secretName
    ? { name: VOLUME, secret: { secretName: ca.secretName, items } }
    : { name: VOLUME, configMap: { name: ca.configMapName!, items } }];
}

export function redisCaMounts(redis: RedisConnection): k8s.VolumeMount[] {
  return redis.tls?.ca ? [{ name: VOLUME, mountPath: REDIS_CA_DIR, readOnly: true }] : [];
}
