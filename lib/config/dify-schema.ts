/** `dify`: the app tier's section of a config: version, host, routing, secrets, file storage, images and components. */
import { z } from 'zod';
import { DIFY_RELEASES } from '../dify/features';
import { chartSection } from './chart-schema';
import { egressProxySection } from './egress-proxy-schema';
import {
  autoscaling, difyComponent, extraEnv, image, noAutoscaling, serviceAccount, serving, singleReplica,
} from './dify-component-schema';
import { isAddressOrRange, isHostName, opensEverythingOrProtected } from './grammar';
import { podSettingsShape } from './pod-schema';
import { MAX_POOL_NAME } from '../dify/worker-pools';
import { annotations, bytes, dnsLabel, dnsSubdomain, httpUrl, keyRef, section, url, wholeNumber } from './schema-parts';

const hostName = z.string({ error: 'must be a DNS name' }).refine(isHostName, {
  error: 'must be a DNS name such as dify.example.com (lowercase, labels of at most 63 characters, no scheme, no port, no IP address)',
});

const concurrency = z.number({ error: 'must be a whole number from 1 to 64' }).int({ error: 'must be a whole number from 1 to 64' })
  .min(1, { error: 'must be a whole number from 1 to 64' }).max(64, { error: 'must be a whole number from 1 to 64' });

export const difySection = section({
  chart: chartSection.optional(),
  version: z.string({ error: 'must be a version string' }).refine((v) => DIFY_RELEASES[v] !== undefined, {
    error: `must be a supported Dify version: ${Object.keys(DIFY_RELEASES).join(', ')}`,
  }).optional(),
  host: hostName.optional(),
  tls: section({ enabled: z.boolean({ error: 'must be true or false' }).optional(), secretName: dnsSubdomain('Secret name').optional() }).optional(),
  ingress: section({
    enabled: z.boolean({ error: 'must be true or false' }).optional(),
    className: dnsSubdomain('IngressClass name').optional(),
    annotations: annotations.optional(),
    extraHosts: z.array(hostName, { error: 'must be a list of DNS names' }).optional(),
  }).optional(),
  gateway: section({
    parentRefs: z.array(section({
      name: dnsSubdomain('Gateway name'),
      namespace: dnsLabel('namespace name').optional(),
      sectionName: dnsLabel('listener name').optional(),
      port: wholeNumber(1, 65535).optional(),
    }), { error: 'must be a list of Gateways: {name, namespace, sectionName}' }).min(1, { error: 'must name at least one Gateway' }),
    hostnames: z.array(hostName, { error: 'must be a list of DNS names' }).optional(),
    annotations: annotations.optional(),
  }).optional(),
  redisMode: z.enum(['direct', 'sentinel'], { error: 'must be one of direct, sentinel' }).optional(),
  existingSecret: dnsSubdomain('Secret name').optional(),
  externalSecret: section({
    secretStoreRef: section({
      name: dnsSubdomain('SecretStore name'),
      kind: z.enum(['SecretStore', 'ClusterSecretStore'], { error: 'must be one of SecretStore, ClusterSecretStore' }).optional(),
    }),
    remoteKey: z.string({ error: 'must be the key of a secret in the manager' }).min(1, { error: 'must be the key of a secret in the manager' }),
    refreshInterval: z.string().regex(/^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/, { error: 'must be a duration such as 1h or 15m' }).optional(),
  }).optional(),
  storage: section({
    type: z.enum(['minio', 's3', 'volume', 'azure-blob', 'google-storage', 'aliyun-oss'], {
      error: 'must be one of minio, s3, volume, azure-blob, google-storage, aliyun-oss',
    }).optional(),
    azureBlob: section({
      accountName: z.string({ error: 'must be a storage account name' }).regex(/^[a-z0-9]{3,24}$/, { error: 'must be a storage account name: 3 to 24 lowercase letters and digits' }),
      containerName: z.string({ error: 'must be a container name' }).regex(/^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$/, { error: 'must be a container name: 3 to 63 lowercase letters, digits and single "-"' }),
      accountUrl: url(/^https:\/\/[^\s]+$/, 'must be an https:// URL').optional(),
      credentialsSecret: dnsSubdomain('Secret name'),
      accountKeyKey: keyRef.shape.key.optional(),
    }).optional(),
    googleStorage: section({
      bucket: z.string({ error: 'must be a bucket name' }).regex(/^[a-z0-9][a-z0-9._-]{1,61}[a-z0-9]$/, { error: 'must be a bucket name' }),
      credentialsSecret: dnsSubdomain('Secret name').optional(),
      serviceAccountJsonKey: keyRef.shape.key.optional(),
    }).optional(),
    aliyunOss: section({
      bucket: z.string({ error: 'must be a bucket name' }).regex(/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, { error: 'must be a bucket name' }),
      endpoint: httpUrl(),
      region: z.string({ error: 'must be a region such as cn-hangzhou' }).regex(/^[a-z0-9-]+$/, { error: 'must be a region such as cn-hangzhou' }),
      authVersion: z.enum(['v1', 'v4'], { error: 'must be one of v1, v4' }).optional(),
      path: z.string().regex(/^[A-Za-z0-9._\/-]+$/, { error: 'must be a folder such as dify/files' }).optional(),
      credentialsSecret: dnsSubdomain('Secret name'),
      accessKeyKey: keyRef.shape.key.optional(),
      secretKeyKey: keyRef.shape.key.optional(),
    }).optional(),
    minio: section({ size: bytes('20Gi').optional(), storageClass: dnsSubdomain('StorageClass name').optional(), bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name' }).optional() }).optional(),
    s3: section({
      endpoint: httpUrl(),
      bucket: z.string({ error: 'must be a bucket name' }).regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: 'must be an S3 bucket name' }),
      region: z.string({ error: 'must be a region name' }).regex(/^[a-z0-9-]+$/, { error: 'must be a region name such as eu-west-1' }).optional(),
      addressStyle: z.enum(['path', 'virtual'], { error: 'must be one of path, virtual' }).optional(),
      credentialsSecret: dnsSubdomain('Secret name').optional(),
      accessKeyKey: keyRef.shape.key.optional(),
      secretKeyKey: keyRef.shape.key.optional(),
      useIamRole: z.boolean({ error: 'must be true or false' }).optional(),
    }).superRefine((s3, ctx) => {
      if (s3.useIamRole && s3.credentialsSecret) {
        ctx.addIssue({ code: 'custom', path: ['credentialsSecret'], input: s3.credentialsSecret, message: 'must not be given with useIamRole: the pod\'s identity is the credential' });
      }
      if (!s3.useIamRole && !s3.credentialsSecret) {
        ctx.addIssue({ code: 'custom', path: ['credentialsSecret'], input: undefined, message: 'is needed: the Secret with the access and secret key (or useIamRole: true)' });
      }
    }).optional(),
    volume: section({ size: bytes('20Gi').optional(), storageClass: dnsSubdomain('StorageClass name').optional() }).optional(),
  }).optional(),
  pluginStorage: section({ size: bytes('10Gi').optional(), storageClass: dnsSubdomain('StorageClass name').optional() }).optional(),
  images: section(Object.fromEntries(['api', 'web', 'sandbox', 'pluginDaemon', 'ssrfProxy', 'agentBackend', 'localSandbox', 'minio', 'postgres', 'bootstrap']
    .map((name) => [name, image.optional()]))).optional(),
  backendEnv: extraEnv.optional(),
  egressProxy: egressProxySection.optional(),
  pods: section({ ...podSettingsShape, serviceAccount: serviceAccount.optional() }).optional(),
  imageRegistry: z.string({ error: 'must be a registry host, optionally with a path' })
    .regex(/^[a-zA-Z0-9]([-a-zA-Z0-9.]*[a-zA-Z0-9])?(:[0-9]+)?(\/[a-z0-9]+([._-][a-z0-9]+)*)*$/, {
      error: 'must be a registry host, optionally with a port and a path, such as registry.example.com/mirror (no scheme, no trailing /)',
    }).optional(),
  imagePullSecrets: z.array(dnsSubdomain('Secret name'), { error: 'must be a list of Secret names' }).optional(),
  imagePullPolicy: z.enum(['IfNotPresent', 'Always', 'Never'], { error: 'must be one of IfNotPresent, Always, Never' }).optional(),
  api: section({ ...difyComponent, ...serving, autoscaling: autoscaling.optional() }).optional(),
  worker: section({
    ...difyComponent, autoscaling: autoscaling.optional(), concurrency: concurrency.optional(),
    pools: z.array(section({
      name: dnsLabel('pool name').max(MAX_POOL_NAME, { error: `must be a pool name of at most ${MAX_POOL_NAME} characters (its Deployment, dify-worker-<name>, is a DNS label)` }),
      queues: z.array(z.string({ error: 'must be a queue name' }).min(1, { error: 'must be a queue name' }), { error: 'must be a list of queue names' })
        .min(1, { error: 'must name at least one queue' }),
      ...difyComponent, autoscaling: autoscaling.optional(), concurrency: concurrency.optional(),
    }), { error: 'must be a list of worker pools: {name, queues, ...}' }).optional(),
  }).optional(),
  beat: section({ ...difyComponent, replicas: singleReplica, autoscaling: noAutoscaling }).optional(),
  web: section({ ...difyComponent, ...serving, autoscaling: autoscaling.optional() }).optional(),
  sandbox: section({
    ...difyComponent, ...serving, autoscaling: autoscaling.optional(),
    pythonRequirements: z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*(\[[A-Za-z0-9,._-]+\])?==[A-Za-z0-9.!+_-]+$/, {
      error: 'must be a pinned package such as numpy==1.26.4',
    }), { error: 'must be a list of pinned packages' }).optional(),
  }).optional(),
  pluginDaemon: section({ ...difyComponent, ...serving, replicas: singleReplica, autoscaling: noAutoscaling, maxPackageSize: bytes('50Mi').optional() }).optional(),
  ssrfProxy: section({
    ...difyComponent, ...serving,
    allowPrivate: section({
      ips: z.array(z.string().refine(isAddressOrRange, { error: 'must be an IPv4 or IPv6 address or CIDR range such as 10.20.0.0/16', abort: true })
        .refine((range) => !opensEverythingOrProtected(range), {
          error: 'must not open every address (a /0), the cloud metadata address 169.254.169.254 or loopback: name the private networks Dify may reach, such as 10.20.0.0/16',
        }),
        { error: 'must be a list of addresses or CIDR ranges' }).optional(),
      domains: z.array(z.string().regex(/^\.?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/, {
        error: 'must be a host name, a leading dot for its subdomains too, such as .corp.example.com',
      }).refine((domain) => !/(^|\.)localhost$/.test(domain), { error: 'must not be localhost: loopback is the proxy itself and stays refused' }),
      { error: 'must be a list of host names' }).optional(),
    }).optional(),
  }).optional(),
  collaboration: section({ enabled: z.boolean({ error: 'must be true or false' }).optional(), ...difyComponent, ...serving }).optional(),
  agent: section({
    enabled: z.boolean({ error: 'must be true or false' }).optional(),
    backend: section({ ...difyComponent, ...serving }).optional(),
    // One pod: shellctl keeps its jobs' state in the pod, so a second replica would not know the first one's jobs.
    localSandbox: section({ ...difyComponent, ...serving, replicas: singleReplica, autoscaling: noAutoscaling, scratchSize: bytes('10Gi').optional() }).optional(),
    ssrfProxy: section({ ...difyComponent, ...serving }).optional(),
  }).optional(),
});
