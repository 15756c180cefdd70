import { Construct } from 'constructs';
import * as k8s from '../../k8s';
import { PostgresqlConnection } from '../../kubeblocks/connections';
import { labelsOf, RESTRICTED_CONTAINER, syncWave, SYNC_WAVE } from '../components/workload';
import { hashedName, readScript } from '../wiring/project-files';
import { psqlContainer } from './database-job';
import { jobResources } from './job';

/** Where the api image keeps its Alembic revisions (its Dockerfile copies `api/` to /app/api, every version). */
const MIGRATIONS_FOLDER = '/app/api/migrations/versions';
const SCRIPTS_MOUNT = '/schema-gate';
const HEADS_MOUNT = '/schema';
const HEADS_FILE = `${HEADS_MOUNT}/heads`;
const SCRIPTS_VOLUME = 'schema-gate';
const HEADS_VOLUME = 'schema-heads';

export interface SchemaGateProps {
  readonly namespace: string;
  readonly version: string;
  /** The api image: its migration files say which schema its code expects. */
  readonly apiImage: string;
  /** An image with `psql` (the database Job's). */
  readonly postgresImage: string;
  readonly postgresql: PostgresqlConnection;
  /** Dify's database, whose `alembic_version` says the schema's head. */
  readonly database: string;
}

/**
 * The check that Dify's schema is at the head the api image expects: the migration Job ends with it (so a
 * migration skipped for a held lock fails the Job and is retried), and the api, worker and beat wait on it before
 * starting (so a new version never serves against the old schema, however the objects were applied). Two steps,
 * each in the image that has what it needs: the api image reads its own revision files, psql reads
 * `alembic_version`. The scripts live in one ConfigMap, named by content.
 */
export class SchemaGate extends Construct {
  private readonly configMapName: string;

  constructor(scope: Construct, id: string, private readonly props: SchemaGateProps) {
    super(scope, id);
    const data = { 'schema-heads.py': readScript('schema-heads.py'), 'wait-for-schema.sh': readScript('wait-for-schema.sh') };
    this.configMapName = hashedName('dify-schema-gate', data);
    new k8s.KubeConfigMap(this, 'Scripts', {
      metadata: { name: this.configMapName, namespace: props.namespace, labels: labelsOf('schema-gate', props.version), annotations: syncWave(SYNC_WAVE.bootstrap) },
      data,
    });
  }

  /** The volumes the gate's containers mount: its scripts and the scratch file the head is handed over in. */
  public volumes(): k8s.Volume[] {
    return [
      { name: SCRIPTS_VOLUME, configMap: { name: this.configMapName, defaultMode: 0o555 } },
      { name: HEADS_VOLUME, emptyDir: { sizeLimit: k8s.Quantity.fromString('1Mi') } },
    ];
  }

  /** Writes the api image's schema head to the scratch volume; runs as the api image's user. */
  public headsContainer(): k8s.Container {
    return {
      name: 'schema-head',
      image: this.props.apiImage,
      imagePullPolicy: 'IfNotPresent',
      command: ['python3', `${SCRIPTS_MOUNT}/schema-heads.py`, MIGRATIONS_FOLDER, HEADS_FILE],
      resources: jobResources(),
      securityContext: { ...RESTRICTED_CONTAINER, readOnlyRootFilesystem: true },
      volumeMounts: [{ name: SCRIPTS_VOLUME, mountPath: SCRIPTS_MOUNT, readOnly: true }, { name: HEADS_VOLUME, mountPath: HEADS_MOUNT }],
    };
  }

  /**
   * Waits until the database is at that head. `waitSeconds` 0 waits for good (a workload's init container); the
   * migration Job's check gives up after its wait, so a skipped migration becomes a failed pod that is retried.
   */
  public waitContainer(name: string, waitSeconds: number): k8s.Container {
    return psqlContainer(name, this.props.postgresImage, this.props.postgresql, this.props.database, ['/bin/sh', `${SCRIPTS_MOUNT}/wait-for-schema.sh`], {
      env: [{ name: 'HEADS_FILE', value: HEADS_FILE }, { name: 'WAIT_SECONDS', value: String(waitSeconds) }],
      volumeMounts: [{ name: SCRIPTS_VOLUME, mountPath: SCRIPTS_MOUNT, readOnly: true }, { name: HEADS_VOLUME, mountPath: HEADS_MOUNT, readOnly: true }],
    });
  }

  /** A workload's init containers: the head, then the wait (which also waits for the database to accept connections). */
  public initContainers(): k8s.Container[] {
    return [this.headsContainer(), this.waitContainer('wait-for-schema', 0)];
  }
}
