import { Chart, Testing } from 'cdk8s';
import { BackupRepo, BackupRepoProps } from '../../lib/kubeblocks/backup-repo';
import { backupRepoConflicts, DefinedRepo } from '../../lib/kubeblocks/shared-backup-repos';

const MINIO: BackupRepoProps = { provider: 'minio', bucket: 'kb-backups', endpoint: 'http://minio.backup:9000', credentialsSecret: { name: 'minio-creds' } };

/** A repo as a platform defined in `source` writes it (the construct's own object, with the chart's labels). */
function defined(source: string, props: Partial<BackupRepoProps> = {}, labels: Record<string, string> = {}): DefinedRepo {
  const chart = new Chart(Testing.app(), 'test', { namespace: 'dify', labels });
  new BackupRepo(chart, 'Repo', { ...MINIO, ...props });
  return { source, repo: Testing.synth(chart)[0] };
}

describe('BackupRepos across platforms', () => {
  test('the same repo defined alike by two platforms is no conflict', () => {
    expect(backupRepoConflicts([defined('config/a.yaml'), defined('config/b.yaml')])).toEqual([]);
  });

  test('the same name defined differently names the later config, the setting, both values and the earlier config', () => {
    expect(backupRepoConflicts([defined('config/a.yaml'), defined('config/b.yaml', { bucket: 'other-bucket' })])).toEqual([{
      source: 'config/b.yaml', setting: 'backupRepo.bucket', value: 'other-bucket',
      reason: 'BackupRepo "dify-backups" is defined by config/a.yaml with "kb-backups"; a BackupRepo is one object of the whole Kubernetes '
        + 'cluster: define it the same in every platform, or give this one another name',
    }]);
  });

  test.each([
    [{ credentialsSecret: { name: 'minio-creds', namespace: 'backup' } }, {}, 'backupRepo.credentialsSecret.namespace', 'backup'],
    [{ default: false }, {}, 'backupRepo.default', false],
    [{ provider: 's3-compatible' as const }, {}, 'backupRepo.provider', 's3-compatible'],
    [{ pathPrefix: 'dify/b' }, {}, 'backupRepo.pathPrefix', 'dify/b'],
    [{}, { team: 'b' }, 'commonLabels.team', 'b'],
  ])('a difference in %j (labels %j) is said as %s', (props, labels, setting, value) => {
    const [conflict] = backupRepoConflicts([defined('config/a.yaml'), defined('config/b.yaml', props, labels)]);

    expect([conflict.setting, conflict.value]).toEqual([setting, value]);
  });

  test('a second repo marked default is refused, naming both repos and configs; one default and others not is fine', () => {
    const [a, b, c] = [defined('config/a.yaml'), defined('config/b.yaml', { name: 'team-b' }), defined('config/c.yaml', { name: 'team-c', default: false })];

    expect(backupRepoConflicts([a, b, c])).toEqual([{
      source: 'config/b.yaml', setting: 'backupRepo.default', value: true,
      reason: 'BackupRepo "team-b" would be the installation\'s default beside "dify-backups" of config/a.yaml, and KubeBlocks fails every backup '
        + 'that names no repo when two are ("multiple default BackupRepo found"); set default: false on all but one (each platform\'s clusters name their own repo)',
    }]);
    expect(backupRepoConflicts([a, c])).toEqual([]);
  });

  test('the same default repo defined by three platforms counts as one default', () => {
    expect(backupRepoConflicts([defined('config/a.yaml'), defined('config/b.yaml'), defined('config/c.yaml')])).toEqual([]);
  });
});
