import * as k8s from '../../k8s';
import { Construct } from 'constructs';
import { PostgresqlConnection } from '../../kubeblocks/connections';
import { jobResources, scriptJob } from './job';
import { readScript } from '../wiring/project-files';
import { RESTRICTED_CONTAINER, secretEnv, SYNC_WAVE } from '../components/workload';

/** The UID of the postgres user in the official postgres images: the Job needs no root. */
export const POSTGRES_UID = 70;

/** libpq's variables for the superuser, all from the data tier's connection contract. */
export function libpqEnv(postgresql: PostgresqlConnection): k8s.EnvVar[] {
  return [
    { name: 'PGHOST', value: postgresql.host },
    { name: 'PGPORT', value: String(postgresql.port) },
    secretEnv('PGUSER', postgresql.superuser.username),
    secretEnv('PGPASSWORD', postgresql.superuser.password),
    ...(postgresql.sslMode ? [{ name: 'PGSSLMODE', value: postgresql.sslMode }] : []),
  ];
}

/**
 * A container of the postgres image that runs `command` with psql against `database` as the superuser: small fixed
 * resources, the image's own non-root user, a read-only root, a 5 s connect timeout.
 */
export function psqlContainer(name: string, image: string, postgresql: PostgresqlConnection, database: string,
  command: readonly string[], extra: Partial<k8s.Container> = {}): k8s.Container {
  return {
    name,
    image,
    imagePullPolicy: 'IfNotPresent',
    command: [...command],
    env: [...libpqEnv(postgresql), { name: 'WAIT_DATABASE', value: database }, { name: 'PGCONNECT_TIMEOUT', value: '5' }, ...(extra.env ?? [])],
    resources: jobResources(),
    securityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: true, runAsNonRoot: true, runAsUser: POSTGRES_UID },
    ...(extra.volumeMounts ? { volumeMounts: extra.volumeMounts } : {}),
  };
}

/**
 * An init container that holds a pod until `database` accepts connections, so pods applied with plain
 * `kubectl apply` wait for the data tier and the database Job instead of crash-looping.
 */
export function waitForDatabase(image: string, postgresql: PostgresqlConnection, database: string): k8s.Container {
  return psqlContainer('wait-for-database', image, postgresql, database, ['/bin/sh', '-c',
    'until psql -d "$WAIT_DATABASE" -tAc "SELECT 1" >/dev/null; do echo "waiting for database $WAIT_DATABASE on $PGHOST"; sleep 5; done']);
}

export interface DifyDatabaseJobProps {
  readonly namespace: string;
  readonly version: string;
  readonly image: string;
  readonly postgresql: PostgresqlConnection;
  /** Databases to create when missing (or, with `create: false`, that must exist). */
  readonly databases: readonly string[];
  /** Extensions to enable, as `database:extension` (the `vector` of pgvector). @default - none */
  readonly extensions?: readonly string[];
  /**
   * Whether the Job may create a missing database. `false` for a user without CREATEDB: it creates none, and fails
   * naming each that is missing.
   * @default true
   */
  readonly create?: boolean;
  /** The setting the databases come from (`postgresql.external`), named in the Job's messages. @default - none */
  readonly setting?: string;
}

/**
 * Creates Dify's databases on the PostgreSQL once it is up (KubeBlocks 1.0 has nothing that creates an application
 * database), or only checks them on a server whose user may not create databases, and checks that the user can
 * create tables in each; then enables the extensions they need (pgvector's `vector`). Idempotent: running it again,
 * or after the databases exist, changes nothing.
 */
export class DifyDatabaseJob extends Construct {
  constructor(scope: Construct, id: string, props: DifyDatabaseJobProps) {
    super(scope, id);
    scriptJob(this, 'Job', {
      base: 'dify-db-init',
      component: 'db-init',
      version: props.version,
      namespace: props.namespace,
      wave: SYNC_WAVE.bootstrap,
      image: props.image,
      script: { name: 'create-databases.sh', content: readScript('create-databases.sh') },
      env: [...libpqEnv(props.postgresql), { name: 'DATABASES', value: props.databases.join(' ') },
        ...(props.extensions?.length ? [{ name: 'EXTENSIONS', value: props.extensions.join(' ') }] : []),
        ...(props.create === false ? [{ name: 'CREATE_DATABASES', value: 'false' }] : []),
        ...(props.setting ? [{ name: 'DATABASES_SETTING', value: props.setting }] : []), { name: 'WAIT_SECONDS', value: '1800' }],
      resources: jobResources(),
      podSecurityContext: { runAsNonRoot: true, runAsUser: POSTGRES_UID, runAsGroup: POSTGRES_UID },
    });
  }
}
