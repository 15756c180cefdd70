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
}

export const ENGINE_BACKUP: Readonly<Record<Engine, EngineBackup>> = {
  postgresql: { methods: ['pg-basebackup', 'volume-snapshot'], defaultMethod: 'pg-basebackup', continuousMethod: 'archive-wal' },
  redis: { methods: ['datafile', 'volume-snapshot'], defaultMethod: 'datafile', continuousMethod: 'aof' },
  // Qdrant has snapshots only: no volume snapshot method, no point in time.
  qdrant: { methods: ['datafile'], defaultMethod: 'datafile' },
  // Milvus standalone: a snapshot of its data volume (the addon's milvus-standalone BackupPolicyTemplate, v1.0.2),
  // which needs a CSI driver with VolumeSnapshot support.
  milvus: { methods: ['volume-snapshot'], defaultMethod: 'volume-snapshot' },
};

/** KubeBlocks' default schedule for Full backups: daily at 18:00 UTC. */
export const DEFAULT_BACKUP_SCHEDULE = '0 18 * * *';
