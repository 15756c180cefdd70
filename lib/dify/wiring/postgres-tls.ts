/**
 * How each PostgreSQL client of Dify is told the server's sslmode.
 *
 * Facts, from langgenius/dify-plugin-daemon at every tag from 0.5.3 to 0.6.10 (the daemons Dify 1.13.3 to 1.16.1 run):
 * `internal/types/app/config.go` validates DB_SSL_MODE as one of `disable` or `require`, `cmd/server/main.go` panics
 * on an invalid configuration, and `internal/db/pg/pg.go` writes the value as the `sslmode` of its gorm/pgx DSN. The
 * daemon has no setting for a root certificate (its DB_EXTRAS becomes the server `options`, not a DSN parameter).
 */
import { SslMode } from '../../kubeblocks/connections';

/** What the daemon's validator lets through. */
export type DaemonSslMode = 'disable' | 'require';

/**
 * Each libpq mode the platform accepts, as the daemon can say it, never weaker than libpq would be:
 * - `allow` tries without TLS first, so `disable` talks to any server exactly as allow would, and fails (loudly, in
 *   the daemon's log) only against a server that insists on TLS;
 * - `prefer` uses TLS whenever the server offers it, without checking the certificate, which is what `require` does
 *   (pgx, like libpq, verifies nothing under require without a root certificate); only a server without TLS, where
 *   prefer would fall back to plain text, is refused, and needs `disable` said openly.
 */
export const DAEMON_SSL_MODE: Readonly<Record<SslMode, DaemonSslMode>> = {
  disable: 'disable',
  allow: 'disable',
  prefer: 'require',
  require: 'require',
};

/**
 * The daemon's DB_SSL_MODE for a server with this sslmode; the platform's own clusters (no sslmode: in-cluster
 * traffic) are reached without TLS, the daemon's default.
 */
export function daemonSslMode(mode: SslMode | undefined): DaemonSslMode {
  return mode === undefined ? 'disable' : DAEMON_SSL_MODE[mode];
}
