import * as k8s from '../../k8s';
import { ApiObject } from 'cdk8s';
import { Construct } from 'constructs';
import { ExternalSecretSettings } from '../dify-settings';
import { SecretKeyRef } from '../../kubeblocks/connections';
import { jobResources, scriptJob } from '../jobs/job';
import { readScript } from './project-files';
import { labelsOf, SYNC_WAVE, syncWave } from '../components/workload';


/** The keys of the application Secret and what each one is for. */
export const APP_SECRET_KEYS = {
  /** Signs sessions and encrypts stored credentials. */
  secretKey: 'SECRET_KEY',
  /** Shared by api (CODE_EXECUTION_API_KEY) and sandbox (API_KEY). */
  sandboxApiKey: 'SANDBOX_API_KEY',
  /** Shared by api (PLUGIN_DAEMON_KEY) and plugin daemon (SERVER_KEY). */
  pluginDaemonKey: 'PLUGIN_DAEMON_KEY',
  /** Shared by api (INNER_API_KEY_FOR_PLUGIN) and plugin daemon (DIFY_INNER_API_KEY). */
  innerApiKey: 'INNER_API_KEY_FOR_PLUGIN',
  /** The embedded MinIO's root account, which Dify also uses as its S3 credentials. */
  minioRootUser: 'MINIO_ROOT_USER',
  minioRootPassword: 'MINIO_ROOT_PASSWORD',
  /** Shared by api and worker (AGENT_BACKEND_API_TOKEN) and the agent backend (DIFY_AGENT_API_TOKEN). */
  agentApiToken: 'AGENT_API_TOKEN',
  /** The agent backend's root secret for Agent Stub tokens (DIFY_AGENT_SERVER_SECRET_KEY). */
  agentServerSecretKey: 'AGENT_SERVER_SECRET_KEY',
  /** Shared by the agent backend (DIFY_AGENT_SHELLCTL_AUTH_TOKEN) and the local sandbox (SHELLCTL_AUTH_TOKEN). */
  localSandboxToken: 'LOCAL_SANDBOX_TOKEN',
  /** The password Dify gives Milvus (MILVUS_PASSWORD): the addon's standalone checks none, Dify requires one. */
  milvusPassword: 'MILVUS_PASSWORD',
} as const;

/**
 * Keys whose program needs an exact size, in random bytes: the agent backend refuses to start unless its secret is
 * unpadded base64url of exactly 32 bytes (dify-agent's decode_server_secret_key). Every other key gets 42 bytes.
 */
const GENERATED_BYTES: Partial<Record<AppSecretKey, number>> = { agentServerSecretKey: 32 };

export type AppSecretKey = keyof typeof APP_SECRET_KEYS;

export const GENERATED_SECRET_NAME = 'dify-app-secrets';

export interface DifyAppSecretsProps {
  readonly namespace: string;
  readonly version: string;
  /** Image with sh and curl for the bootstrap Job. */
  readonly image: string;
  /** @default - generate `dify-app-secrets` in the cluster */
  readonly existingSecret?: string;
  /** Fill `dify-app-secrets` from a secret manager through External Secrets. @default - generate it in the cluster */
  readonly externalSecret?: ExternalSecretSettings;
}

/**
 * The Secret every Dify credential of its own comes from. Either a Secret the user manages, or one that a bootstrap
 * Job creates in the cluster when it is missing (never overwriting it), so no value is ever in git. Every key is
 * generated whatever the version, so an upgrade that starts using a key finds it there.
 */
export class DifyAppSecrets extends Construct {
  public readonly secretName: string;

  constructor(scope: Construct, id: string, props: DifyAppSecretsProps) {
    super(scope, id);
    this.secretName = props.existingSecret ?? GENERATED_SECRET_NAME;
    if (props.externalSecret) this.fromSecretManager(props, props.externalSecret);
    else if (props.existingSecret === undefined) this.bootstrap(props);
  }

  /**
   * An ExternalSecret (external-secrets.io/v1) that External Secrets turns into the app Secret, with every key of
   * the remote secret (it must hold the keys listed under `dify.existingSecret`). It owns the Secret it creates.
   */
  private fromSecretManager(props: DifyAppSecretsProps, external: ExternalSecretSettings): void {
    new ApiObject(this, 'ExternalSecret', {
      apiVersion: 'external-secrets.io/v1',
      kind: 'ExternalSecret',
      metadata: { name: this.secretName, namespace: props.namespace, labels: labelsOf('secrets', props.version), annotations: syncWave(SYNC_WAVE.bootstrap) },
      spec: {
        refreshInterval: external.refreshInterval ?? '1h',
        secretStoreRef: { kind: external.secretStoreRef.kind ?? 'SecretStore', name: external.secretStoreRef.name },
        target: { name: this.secretName, creationPolicy: 'Owner' },
        dataFrom: [{ extract: { key: external.remoteKey } }],
      },
    });
  }

  /** Where a key is, for a `secretKeyRef`. */
  public ref(key: AppSecretKey): SecretKeyRef {
    return { name: this.secretName, key: APP_SECRET_KEYS[key] };
  }

  private bootstrap(props: DifyAppSecretsProps): void {
    const name = 'dify-bootstrap';
    const metadata = { name, namespace: props.namespace, labels: labelsOf('bootstrap', props.version), annotations: syncWave(SYNC_WAVE.bootstrap) };
    new k8s.KubeServiceAccount(this, 'ServiceAccount', { metadata, automountServiceAccountToken: false });
    // The least the script needs: create its Secret, read it, and add keys it lacks. No list, update or delete,
    // and no other Secret.
    new k8s.KubeRole(this, 'Role', {
      metadata,
      rules: [
        { apiGroups: [''], resources: ['secrets'], verbs: ['create'] },
        { apiGroups: [''], resources: ['secrets'], resourceNames: [this.secretName], verbs: ['get', 'patch'] },
      ],
    });
    new k8s.KubeRoleBinding(this, 'RoleBinding', {
      metadata,
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name },
      subjects: [{ kind: 'ServiceAccount', name, namespace: props.namespace }],
    });
    scriptJob(this, 'Job', {
      base: 'dify-bootstrap-secrets',
      component: 'bootstrap',
      version: props.version,
      namespace: props.namespace,
      wave: SYNC_WAVE.bootstrap,
      image: props.image,
      script: { name: 'bootstrap-secrets.sh', content: readScript('bootstrap-secrets.sh') },
      env: [
        { name: 'TARGET_NAME', value: this.secretName },
        { name: 'GENERATED_ENTRIES', value: generatedEntries() },
      ],
      resources: jobResources(),
      serviceAccountName: name,
      podSecurityContext: { runAsNonRoot: true, runAsUser: 100, runAsGroup: 101 },
    });
  }
}

/** `KEY` or `KEY:BYTES` for each key, what bootstrap-secrets.sh generates. */
function generatedEntries(): string {
  return (Object.keys(APP_SECRET_KEYS) as AppSecretKey[])
    .map((key) => (GENERATED_BYTES[key] ? `${APP_SECRET_KEYS[key]}:${GENERATED_BYTES[key]}` : APP_SECRET_KEYS[key])).join(' ');
}
