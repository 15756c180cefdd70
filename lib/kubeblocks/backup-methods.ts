/**
 * What each engine's KubeBlocks addon can back up with (its BackupPolicyTemplate, the same names on 0.9.5 and
 * 1.0.2; kubeblocks-day2-facts.md): the Full methods a schedule may name, the default, and the Continuous method
 * that gives point-in-time recovery. Methods that need the database reconfigured first (wal-g) are left out.
 */
import { Engine } from './release-lines';

export interface EngineBackup {
  readonly methods: readonly string[];
  readonly defaultMethod: string;
  /** The Continuous method behind `pitr`; none for engines without point-in-time recovery. */
  readonly continuousMethod?: string;
  /** Why a backup of this engine cannot be restored into a working cluster, and what to do instead. @default - it can */
  readonly restoreProblem?: string;
}

/**
 * Milvus standalone keeps its collections in three places: the milvus volume (local data), etcd (metadata, under the
 * root path `<cluster>`) and MinIO (segments, in the bucket `<cluster>`) (kubeblocks-addons v1.0.2
 * addons/milvus/configs/standalone-user.yaml; v0.9.5 the same with KB_CLUSTER_NAME). The standalone
 * BackupPolicyTemplate snapshots the milvus `data` volume only (v1.0.2 addons/milvus/templates/backuppolicytemplate.yaml;
 * v0.9.5 the same); the etcd addon's policy backs etcd up at another moment (addons/etcd/templates/
 * backuppolicytemplate.yaml, datafile) and nothing backs up Milvus's MinIO. A restore must make a new cluster, whose
 * new name points Milvus at an empty etcd path and bucket. The addon's consistent method (`full`, Milvus's own
 * milvus-backup tool, actionset.yaml) is offered for the `cluster` topology's proxy only, which is not written here.
 */
const MILVUS_RESTORE_PROBLEM = 'a Milvus backup holds only the milvus volume, while its collections\' metadata (etcd) and segments (MinIO) '
  + 'live under the cluster\'s name, which a restore must change: the restored Milvus would hold no collections. Keep the running cluster, '
  + 'or start an empty one (another milvus.name) and rebuild the vectors from Dify\'s knowledge bases: kubectl exec deploy/dify-api -- flask vdb-migrate';

export const ENGINE_BACKUP: Readonly<Record<Engine, EngineBackup>> = {
  postgresql: { methods: ['pg-basebackup', 'volume-snapshot'], defaultMethod: 'pg-basebackup', continuousMethod: 'archive-wal' },
  redis: { methods: ['datafile', 'volume-snapshot'], defaultMethod: 'datafile', continuousMethod: 'aof' },
  // Qdrant has snapshots only: no volume snapshot method, no point in time.
  qdrant: { methods: ['datafile'], defaultMethod: 'datafile' },
  // Milvus standalone: a snapshot of its data volume (the addon's milvus-standalone BackupPolicyTemplate, v1.0.2),
  // which needs a CSI driver with VolumeSnapshot support.
  milvus: { methods: ['volume-snapshot'], defaultMethod: 'volume-snapshot', restoreProblem: MILVUS_RESTORE_PROBLEM },
};

/** KubeBlocks' default schedule for Full backups: daily at 18:00 UTC. */
export const DEFAULT_BACKUP_SCHEDULE = '0 18 * * *';
