import * as k8s from '../../k8s';
import { Construct } from 'constructs';
import { DifyAppSecrets } from '../wiring/app-secrets';
import { DifyConfig } from '../dify-config';
import { jobResources, scriptJob } from '../jobs/job';
import { readScript } from '../wiring/project-files';
import { DIFY_PORTS, serviceName, serviceUrl } from '../wiring/services';
import { labelsOf, RESTRICTED_CONTAINER, secretEnv, selectorLabels, service, SYNC_WAVE, syncWave, httpProbe } from '../components/workload';

const MINIO_UID = 1000;

export interface DifyMinioProps {
  readonly namespace: string;
  readonly config: DifyConfig;
  readonly secrets: DifyAppSecrets;
}

/** The embedded MinIO the seed uses: one pod with its own volume, root credentials from the app Secret, a bucket Job. */
export class DifyMinio extends Construct {
  public readonly endpoint = serviceUrl('minio');
  public readonly bucket: string;

  constructor(scope: Construct, id: string, props: DifyMinioProps) {
    super(scope, id);
    const settings = props.config.settings.storage?.minio ?? {};
    const version = props.config.features.version;
    const name = serviceName('minio');
    this.bucket = settings.bucket ?? 'dify';
    const credentials = [
      secretEnv('MINIO_ROOT_USER', props.secrets.ref('minioRootUser')),
      secretEnv('MINIO_ROOT_PASSWORD', props.secrets.ref('minioRootPassword')),
    ];

    new k8s.KubeStatefulSet(this, 'StatefulSet', {
      metadata: { name, namespace: props.namespace, labels: labelsOf('minio', version), annotations: syncWave(SYNC_WAVE.bootstrap) },
      spec: {
        serviceName: name,
        replicas: 1,
        selector: { matchLabels: selectorLabels('minio') },
        template: {
          metadata: { labels: labelsOf('minio', version) },
          spec: {
            enableServiceLinks: false,
            automountServiceAccountToken: false,
            securityContext: { runAsNonRoot: true, runAsUser: MINIO_UID, runAsGroup: MINIO_UID, fsGroup: MINIO_UID },
            containers: [{
              name: 'minio',
              image: props.config.images.minio,
              imagePullPolicy: 'IfNotPresent',
              args: ['server', '/data', '--console-address', `:${DIFY_PORTS.minioConsole}`],
              env: credentials,
              ports: [{ name: 'api', containerPort: DIFY_PORTS.minio }, { name: 'console', containerPort: DIFY_PORTS.minioConsole }],
              readinessProbe: httpProbe('/minio/health/ready', DIFY_PORTS.minio),
              livenessProbe: httpProbe('/minio/health/live', DIFY_PORTS.minio, { initialDelaySeconds: 10 }),
              resources: {
                requests: { cpu: k8s.Quantity.fromString('100m'), memory: k8s.Quantity.fromString('256Mi') },
                limits: { cpu: k8s.Quantity.fromString('1'), memory: k8s.Quantity.fromString('1Gi') },
              },
              securityContext: RESTRICTED_CONTAINER,
              volumeMounts: [{ name: 'data', mountPath: '/data' }],
            }],
          },
        },
        volumeClaimTemplates: [{
          metadata: { name: 'data' },
          spec: {
            accessModes: ['ReadWriteOnce'],
            storageClassName: settings.storageClass,
            resources: { requests: { storage: k8s.Quantity.fromString(settings.size ?? '20Gi') } },
          },
        }],
      },
    });
    service(this, 'Service', 'minio', version, props.namespace, [
      { name: 'api', port: DIFY_PORTS.minio }, { name: 'console', port: DIFY_PORTS.minioConsole },
    ]);
    scriptJob(this, 'BucketJob', {
      base: 'dify-minio-bucket',
      component: 'minio-bucket',
      version,
      namespace: props.namespace,
      wave: SYNC_WAVE.bootstrap,
      image: props.config.images.minio,
      script: { name: 'create-bucket.sh', content: readScript('create-bucket.sh') },
      env: [{ name: 'MINIO_URL', value: this.endpoint }, { name: 'BUCKET', value: this.bucket }, ...credentials],
      resources: jobResources(),
      podSecurityContext: { runAsNonRoot: true, runAsUser: MINIO_UID, runAsGroup: MINIO_UID },
    });
  }
}
