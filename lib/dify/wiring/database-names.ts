/**
 * The databases Dify's programs use on its PostgreSQL, and whether the database Job may create them. The platform's
 * own cluster always has the default names and is created into by its superuser; a server the platform is given
 * (`postgresql.external`, `postgresql.existingCluster`) may hold them under other names, and may give an application
 * user that cannot create databases (an RDS user without CREATEDB), for which the Job only checks they are there.
 * The plugin daemon needs nothing more: it connects to its `DB_DATABASE`, and only when that fails tries to create it
 * through `DB_DEFAULT_DATABASE` (dify-plugin-daemon 0.5.3 to 0.6.3 internal/db/pg/pg.go `InitPluginDB`), which the
 * Job's check has made needless.
 */
import { VECTOR_DATABASE } from '../../kubeblocks/pgvector';

/** The database Dify's api, worker, beat and websocket use, and its migration Jobs migrate. */
export const DIFY_DATABASE = 'dify';
/** The plugin daemon's own database (Dify 1.0 and later). */
export const PLUGIN_DATABASE = 'dify_plugin';

/** The name of each database Dify uses on the server, by what uses it. */
export interface DifyDatabaseNames {
  /** Dify's own: api, worker, beat, websocket and the migration Jobs (`DB_DATABASE`). @default 'dify' */
  readonly dify?: string;
  /** The plugin daemon's (Dify 1.0 and later; its `DB_DATABASE`). @default 'dify_plugin' */
  readonly pluginDaemon?: string;
  /** The vectors', with `vectorStore: pgvector` (`PGVECTOR_DATABASE`; the Job enables `vector` in it). @default 'dify_vector' */
  readonly vector?: string;
}

/** What a PostgreSQL the platform is given says about Dify's databases on it. */
export interface DifyDatabaseSettings {
  /**
   * The databases' names on this server: lowercase letters, digits and `_`, each its own. Renaming one of a running
   * platform points Dify at another, empty database (the guard rail dataMoved holds it).
   * @default - dify, dify_plugin and dify_vector
   */
  readonly databases?: DifyDatabaseNames;
  /**
   * Whether the database Job creates the databases that are missing (it needs a user with CREATEDB). `false` for an
   * application user without it: the Job then creates nothing, checks that each database exists and that the user
   * can connect to it and create tables in its schema, and fails with one line naming what is missing.
   * @default true
   */
  readonly createDatabases?: boolean;
}

/** The databases a platform's Dify uses, every name decided. */
export interface DifyDatabases {
  readonly dify: string;
  readonly pluginDaemon: string;
  readonly vector: string;
  /** Whether the database Job may create the missing ones. */
  readonly create: boolean;
  /** The setting they come from (`postgresql.external`), for the Job's messages; none for the platform's own cluster. */
  readonly setting?: string;
}

/** The names and the creation switch of a PostgreSQL's settings, defaults applied. */
export function difyDatabasesOf(settings: DifyDatabaseSettings | undefined, setting?: string): DifyDatabases {
  const names = settings?.databases ?? {};
  return {
    dify: names.dify ?? DIFY_DATABASE,
    pluginDaemon: names.pluginDaemon ?? PLUGIN_DATABASE,
    vector: names.vector ?? VECTOR_DATABASE,
    create: settings?.createDatabases ?? true,
    ...(setting === undefined ? {} : { setting }),
  };
}
