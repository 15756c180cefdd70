/**
 * Settings written as in a pod spec: each is checked against Kubernetes' own type (schema and fields) and the rules
 * the API server adds, and refused in one line naming the setting.
 */
import { configProblems } from '../helpers/configs';

const problems = configProblems;

const pods = (settings: Record<string, unknown>) => ({ dify: { pods: settings } });
const spread = (constraint: Record<string, unknown>) => pods({ topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', ...constraint }] });

describe('pass-through Kubernetes fields that are refused', () => {
  test.each<[string, unknown, string]>([
    ['an unknown field of a pod security context', pods({ securityContext: { runAsUsr: 1000 } }),
      'env.yaml: dify.pods.securityContext.runAsUsr: 1000 is not allowed: is not a field of Kubernetes\' PodSecurityContext here'],
    ['a capability list given as a string', { dify: { api: { containerSecurityContext: { capabilities: { drop: 'ALL' } } } } },
      'env.yaml: dify.api.containerSecurityContext.capabilities.drop: "ALL" is not allowed: must be array (Kubernetes\' SecurityContext)'],
    ['a seccomp profile Kubernetes does not know', pods({ containerSecurityContext: { seccompProfile: { type: 'Strict' } } }),
      'env.yaml: dify.pods.containerSecurityContext.seccompProfile.type: "Strict" is not allowed: must be one of Localhost, RuntimeDefault, Unconfined'],
    ['pod anti-affinity terms written as strings (once turned into `- {}`)',
      pods({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: ['zone'] } } }),
      'env.yaml: dify.pods.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0]: "zone" is not allowed: must be object (Kubernetes\' Affinity)'],
    ['a misspelt affinity field', pods({ affinity: { nodeAfinity: {} } }),
      'env.yaml: dify.pods.affinity.nodeAfinity: {} is not allowed: is not a field of Kubernetes\' Affinity here'],
    ['a node selector requirement In without values',
      pods({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In' }] }] } } } }),
      'env.yaml: dify.pods.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: nothing is not allowed: must not be empty with operator In'],
    ['a pod affinity term whose label value is no label value',
      pods({ affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname', labelSelector: { matchLabels: { app: 'dify api' } } } }] } } }),
      'env.yaml: dify.pods.affinity.podAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution[0].podAffinityTerm.labelSelector.matchLabels.app: "dify api" is not allowed: must be a label value'],
    ['minDomains with ScheduleAnyway', spread({ whenUnsatisfiable: 'ScheduleAnyway', minDomains: 2 }),
      'env.yaml: dify.pods.topologySpreadConstraints[0].minDomains: 2 is not allowed: is only allowed with whenUnsatisfiable: DoNotSchedule'],
    ['matchLabelKeys that are no label keys', spread({ whenUnsatisfiable: 'DoNotSchedule', matchLabelKeys: ['pod template hash'] }),
      'env.yaml: dify.pods.topologySpreadConstraints[0].matchLabelKeys[0]: "pod template hash" is not allowed: must be a label key'],
    ['a spread selector with an invalid label value', spread({ whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { tier: '-web' } } }),
      'env.yaml: dify.pods.topologySpreadConstraints[0].labelSelector.matchLabels.tier: "-web" is not allowed: must be a label value'],
    ['a volume with no source', pods({ extraVolumes: [{ name: 'ca' }] }),
      'env.yaml: dify.pods.extraVolumes[0]: {"name":"ca"} is not allowed: must have a name and exactly one source'],
    ['a volume source with an unknown field', pods({ extraVolumes: [{ name: 'ca', configMap: { name: 'ca', key: 'ca.crt' } }] }),
      'env.yaml: dify.pods.extraVolumes[0].configMap.key: "ca.crt" is not allowed: is not a field of Kubernetes\' Volume here'],
    ['a subPath that climbs out of its volume', pods({ extraVolumes: [{ name: 'ca', emptyDir: {} }], extraVolumeMounts: [{ name: 'ca', mountPath: '/ca', subPath: '../../etc' }] }),
      'env.yaml: dify.pods.extraVolumeMounts[0].subPath: "../../etc" is not allowed: must be a path inside the volume: relative, without ".."'],
    ['a relative mount path', pods({ extraVolumes: [{ name: 'ca', emptyDir: {} }], extraVolumeMounts: [{ name: 'ca', mountPath: 'ca' }] }),
      'env.yaml: dify.pods.extraVolumeMounts[0].mountPath: "ca" is not allowed: must be an absolute path without ":"'],
    ['successThreshold 2 on a liveness probe', { dify: { api: { livenessProbe: { successThreshold: 2 } } } },
      'env.yaml: dify.api.livenessProbe.successThreshold: 2 is not allowed: must be 1 for a liveness or startup probe (Kubernetes refuses any other)'],
    ['successThreshold 2 on a startup probe', { dify: { web: { startupProbe: { successThreshold: 2 } } } },
      'env.yaml: dify.web.startupProbe.successThreshold: 2 is not allowed: must be 1 for a liveness or startup probe'],
    ['a common label the platform sets (it would be dropped)', { commonLabels: { 'app.kubernetes.io/part-of': 'ai' } },
      'env.yaml: commonLabels.app.kubernetes.io/part-of: "ai" is not allowed: is a label the platform sets'],
    ['a pod label the platform sets (it would be dropped)', { dify: { api: { labels: { 'app.kubernetes.io/version': 'x' } } } },
      'env.yaml: dify.api.labels.app.kubernetes.io/version: "x" is not allowed: is a label the platform sets'],
    ['a PodMonitor label value that is no label value', { monitoring: { podMonitors: true, labels: { release: 'kube prometheus' } } },
      'env.yaml: monitoring.labels.release: "kube prometheus" is not allowed: must be a label value'],
    ['a data-tier affinity with an unknown field', { postgresql: { scheduling: { affinity: { podAntiAffinity: { requiredDuringScheduling: [] } } } } },
      'env.yaml: postgresql.scheduling.affinity.podAntiAffinity.requiredDuringScheduling: [] is not allowed: is not a field of Kubernetes\' Affinity here'],
  ])('%s', (_case, input, expected) => {
    const lines = problems(input);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(expected);
  });
});

test('pod-spec settings as Kubernetes takes them pass', () => {
  expect(problems({
    postgresql: { scheduling: { affinity: { podAntiAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 100, podAffinityTerm: { topologyKey: 'kubernetes.io/hostname' } }] } } } },
    dify: {
      pods: {
        securityContext: { runAsNonRoot: true, fsGroup: 1001, seccompProfile: { type: 'RuntimeDefault' }, sysctls: [{ name: 'net.ipv4.tcp_keepalive_time', value: '60' }] },
        containerSecurityContext: { readOnlyRootFilesystem: false, capabilities: { drop: ['ALL'] } },
        affinity: {
          nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'pool', operator: 'In', values: ['ai'] }, { key: 'gpu', operator: 'Gt', values: ['0'] }] }] } },
          podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: 'kubernetes.io/hostname', labelSelector: { matchExpressions: [{ key: 'app', operator: 'Exists' }] } }] },
        },
        topologySpreadConstraints: [{ maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'DoNotSchedule', minDomains: 3, matchLabelKeys: ['pod-template-hash'] }],
        tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'ai', effect: 'NoSchedule' }],
        extraVolumes: [{ name: 'ca', configMap: { name: 'ca', items: [{ key: 'ca.crt', path: 'ca.crt' }] } }, { name: 'cache', emptyDir: { sizeLimit: '1Gi' } }],
        extraVolumeMounts: [{ name: 'ca', mountPath: '/etc/ssl/custom', readOnly: true, subPath: 'certs' }],
      },
      api: { livenessProbe: { successThreshold: 1 }, readinessProbe: { successThreshold: 2 } },
    },
    commonLabels: { 'example.com/team': 'ai' },
  })).toEqual([]);
});

describe('sizes, schedules, times, namespaces, URLs and storage sections that are refused', () => {
  test.each<[string, unknown, string]>([
    ['memory in milli-units (a mistyped Mi)', { redis: { resources: { limits: { memory: '512m' } } } },
      'env.yaml: redis.resources.limits.memory: "512m" is not allowed: must not be in milli-units (m): did you mean Mi?'],
    ['memory below 1Mi', { dify: { api: { resources: { requests: { memory: '100Ki' } } } } },
      'env.yaml: dify.api.resources.requests.memory: "100Ki" is not allowed: must be at least 1Mi'],
    ['a volume of half a byte', { dify: { pluginStorage: { size: 0.5 } } },
      'env.yaml: dify.pluginStorage.size: "0.5" is not allowed: must be at least 1Mi'],
    ['a cron schedule out of range', { postgresql: { backup: { schedule: '99 99 99 99 99' } } },
      'env.yaml: postgresql.backup.schedule: "99 99 99 99 99" is not allowed: must be a cron expression of five fields such as "0 18 * * *" (UTC): its minute field "99" must hold values from 0 to 59'],
    ['a cron schedule with four fields', { qdrant: { backup: { schedule: '0 18 * *' } } },
      'has 4 fields; a cron expression has five'],
    ['a backward cron range', { redis: { backup: { schedule: '0 18-6 * * *' } } }, 'its hour field "18-6" has a range that runs backwards'],
    ['a retention of 0d', { postgresql: { backup: { retention: '0d' } } },
      'env.yaml: postgresql.backup.retention: "0d" is not allowed: must be longer than 0'],
    ['a point in time that does not exist', { postgresql: { restoreFrom: { backup: 'b', pointInTime: '2026-02-30T03:00:00Z' } } },
      'env.yaml: postgresql.restoreFrom.pointInTime: "2026-02-30T03:00:00Z" is not allowed: must be a time that exists'],
    ['the kube-system namespace', { namespace: 'kube-system' },
      'env.yaml: namespace: "kube-system" is not allowed: must not be kube-system, kube-public, kube-node-lease'],
    ['an endpoint with a user and password in it', { dify: { storage: { type: 's3', s3: { endpoint: 'https://AKIA:s3cr3t@s3.example.com', bucket: 'files', credentialsSecret: 's3' } } } },
      'env.yaml: dify.storage.s3.endpoint: "(hidden)" is not allowed: holds a credential (user:password@)'],
    ['a BackupRepo endpoint with a signature in its query', { backupRepo: { provider: 'minio', bucket: 'backups', endpoint: 'https://minio.example.com/?X-Amz-Signature=abc', credentialsSecret: { name: 's' } } },
      'env.yaml: backupRepo.endpoint: "(hidden)" is not allowed: holds a credential in its query (X-Amz-Signature)'],
    ['a backend variable whose URL holds a password', { dify: { backendEnv: [{ name: 'SENTRY_DSN', value: 'https://user:pw@sentry.example.com/4' }] } },
      'env.yaml: dify.backendEnv[0].value: "(hidden)" is not allowed: SENTRY_DSN is a URL that holds a credential (user:password@)'],
    ['an s3 section beside the default minio', { dify: { storage: { s3: { endpoint: 'https://s3.example.com', bucket: 'files', credentialsSecret: 's3' } } } },
      'is not allowed: is for storage type s3, and the files go to minio (dify.storage.type, by default): remove it, or set type: s3'],
    ['a minio section beside type s3', { dify: { storage: { type: 's3', s3: { endpoint: 'https://s3.example.com', bucket: 'files', credentialsSecret: 's3' }, minio: { size: '50Gi' } } } },
      'env.yaml: dify.storage.minio: {"size":"50Gi"} is not allowed: is for storage type minio, and the files go to s3 (dify.storage.type): remove it, or set type: minio'],
  ])('%s', (_case, input, expected) => {
    const lines = problems(input);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(expected);
    expect(lines[0]).not.toMatch(/s3cr3t|pw@|abc/);
  });

  test('what Kubernetes and KubeBlocks take passes: the seed\'s 0.2Gi, named cron fields and steps, a leap day', () => {
    expect(problems({
      redis: { sentinel: { resources: { requests: { memory: '0.2Gi' } } }, backup: { schedule: '*/30 1-5,22 * JAN-MAR,12 mon-fri', retention: '1mo0d' } },
      postgresql: { restoreFrom: { backup: 'b', pointInTime: '2028-02-29T23:59:59Z' } },
      namespace: 'default',
      dify: { storage: { type: 's3', s3: { endpoint: 'https://s3.eu-west-1.amazonaws.com/?region=eu', bucket: 'files', credentialsSecret: 's3' } } },
    })).toEqual([]);
  });
});
