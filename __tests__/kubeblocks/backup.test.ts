/** Declared backups and restores, written where KubeBlocks reads them on each release line. */
import { DifyPlatformProps } from '../../lib';
import { Manifest, synthPlatform } from '../helpers/synth';

const cluster = (objects: Manifest[], name: string) => objects.find((o) => o.kind === 'Cluster' && o.metadata.name === name)!;

describe('backups', () => {
  test('none by default', () => {
    expect(synthPlatform().filter((o) => o.kind === 'Cluster').map((c) => c.spec.backup)).toEqual([undefined, undefined, undefined]);
  });

  test('a backup section schedules the engine\'s default method, daily, kept a week, to the default repo', () => {
    const objects = synthPlatform({ postgresql: { backup: {} }, redis: { backup: {} }, qdrant: { backup: {} } });

    expect(cluster(objects, 'postgresql').spec.backup).toEqual({ enabled: true, method: 'pg-basebackup', cronExpression: '0 18 * * *', retentionPeriod: '7d', pitrEnabled: false });
    expect(cluster(objects, 'redis').spec.backup.method).toBe('datafile');
    expect(cluster(objects, 'qdrant').spec.backup.method).toBe('datafile');
  });

  test('point-in-time recovery turns the engine\'s continuous method on; a repo and a schedule are taken as given', () => {
    const objects = synthPlatform({ postgresql: { backup: { pitr: true, schedule: '30 2 * * *', retention: '30d', repo: 's3-backups' } }, redis: { backup: { pitr: true } } });

    expect(cluster(objects, 'postgresql').spec.backup).toEqual({ enabled: true, method: 'pg-basebackup', cronExpression: '30 2 * * *', retentionPeriod: '30d',
      pitrEnabled: true, continuousMethod: 'archive-wal', repoName: 's3-backups' });
    expect(cluster(objects, 'redis').spec.backup.continuousMethod).toBe('aof');
  });

  test('is written the same way on KubeBlocks 0.9', () => {
    const objects = synthPlatform({ kubeblocks: { releaseLine: '0.9' }, dify: { version: '0.6.11' }, postgresql: { backup: { method: 'volume-snapshot' } } });

    expect(cluster(objects, 'postgresql').spec.backup).toMatchObject({ enabled: true, method: 'volume-snapshot' });
  });

  test.each<[string, DifyPlatformProps, string]>([
    ['a method the addon does not have', { qdrant: { backup: { method: 'volume-snapshot' } } }, 'qdrant.backup.method: "volume-snapshot" is not allowed: the qdrant addon backs up with datafile'],
    ['point-in-time recovery for Qdrant', { qdrant: { backup: { pitr: true } } }, 'qdrant.backup.pitr: true is not allowed: the qdrant addon has no continuous backup'],
    ['a schedule that is not cron', { redis: { backup: { schedule: 'daily' } } }, 'redis.backup.schedule: "daily" is not allowed: must be a cron expression of five fields'],
    ['a retention in weeks', { redis: { backup: { retention: '2w' } } }, 'redis.backup.retention: "2w" is not allowed: must be a period such as 7d, 1mo or 12h'],
  ])('%s is refused', (_case, props, expected) => {
    expect(() => synthPlatform(props)).toThrow(expected);
  });
});

describe('restoring a new cluster from a backup', () => {
  test('annotates the Cluster with the backup of its component, as KubeBlocks documents for both lines', () => {
    const objects = synthPlatform({ postgresql: { name: 'postgresql-restored', restoreFrom: { backup: 'pg-nightly', pointInTime: '2026-11-24T03:00:00Z' } } });

    expect(JSON.parse(cluster(objects, 'postgresql-restored').metadata.annotations!['kubeblocks.io/restore-from-backup'])).toEqual({
      postgresql: { name: 'pg-nightly', namespace: 'dify', volumeRestorePolicy: 'Parallel', restoreTime: '2026-11-24T03:00:00Z' },
    });
  });

  test('Qdrant restores whole backups only', () => {
    expect(() => synthPlatform({ qdrant: { restoreFrom: { backup: 'q', pointInTime: '2026-11-24T03:00:00Z' } } }))
      .toThrow('qdrant.restoreFrom.pointInTime: "2026-11-24T03:00:00Z" is not allowed: qdrant restores whole backups only');
  });
});
