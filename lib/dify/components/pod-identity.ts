/**
 * Private helper: the ServiceAccount each Dify pod runs as. `dify.pods.serviceAccount` is the one identity of the
 * pods that run Dify's api code; a component's own `serviceAccount` wins for its pods. The account's Kubernetes API
 * token is never mounted (the pods keep `automountServiceAccountToken: false`) and no RBAC is granted to it: the
 * clouds' identity webhooks project a token of their own, whatever the pod says of automounting
 * (amazon-eks-pod-identity-webhook v0.6.17 `pkg/handler/handler.go`, azure-workload-identity v1.6.0
 * `pkg/webhook/webhook.go`), and GKE's metadata server answers from the node (docs/security.md).
 */
import { ApiObject, JsonPatch } from 'cdk8s';
import { Construct } from 'constructs';
import * as k8s from '../../k8s';
import { ServiceAccountSettings } from '../pod-settings';
import { resourceName, SYNC_WAVE, syncWave } from './workload';

/**
 * The pods that load Dify's api application, and with it the file storage: the storage client is built when the
 * application starts (`ext_storage` in `initialize_extensions`), for every `flask` command but `flask db`
 * (Dify 1.16.1 `api/app.py`, `api/app_factory.py`), and the S3 one asks for the bucket there
 * (`aws_s3_storage.py`): without the identity, the migration Job fails as the api would.
 */
const API_CODE_PODS: ReadonlySet<string> = new Set(['api', 'worker', 'beat', 'api-websocket', 'migration', 'plugin-backfill']);

/** Jobs of the api image that run as the api does when it has an identity of its own. */
const RUN_AS_API: ReadonlySet<string> = new Set(['migration', 'plugin-backfill']);

/** The name of the account made for `dify.pods`: the community charts' name, so a cloud role's trust carries over. */
export const SHARED_ACCOUNT = 'dify';

/**
 * Azure's webhook mutates only pods with this label (its MutatingWebhookConfiguration's objectSelector,
 * azure-workload-identity v1.6.0 `charts/workload-identity-webhook/templates/...mutatingwebhookconfiguration.yaml`);
 * the client id is read from the ServiceAccount's annotation (`pkg/webhook/consts.go`).
 */
const AZURE_CLIENT_ID = 'azure.workload.identity/client-id';
const AZURE_USE_LABEL = 'azure.workload.identity/use';

/** Where a pod's account comes from: its component's own setting, the api's for the api's Jobs, or `dify.pods`. */
export interface IdentitySources {
  /** The settings of the component the pod's label names (the api's for its Jobs). */
  readonly own: (label: string) => ServiceAccountSettings | undefined;
  readonly shared?: ServiceAccountSettings;
  /** The worker pools' components (worker-pools.ts): their pods run the worker's code, so they share its identity. */
  readonly pools: ReadonlySet<string>;
}

/** The account a pod of `label` runs as, and the name it has when it is made here. */
function accountOf(label: string, sources: IdentitySources): { account: ServiceAccountSettings; madeAs: string; shared: boolean } | undefined {
  const owner = RUN_AS_API.has(label) ? 'api' : label;
  const own = sources.own(owner);
  if (own) return { account: own, madeAs: resourceName(owner), shared: false };
  if (sources.shared && (API_CODE_PODS.has(label) || sources.pools.has(label))) return { account: sources.shared, madeAs: SHARED_ACCOUNT, shared: true };
  return undefined;
}

/**
 * The patches that run the object's pods as their account, making the account when it is asked for: a component's
 * beside its Deployment, `dify.pods`' once under `app`.
 */
export function identityPatches(app: Construct, object: ApiObject, json: any, label: string, sources: IdentitySources): JsonPatch[] {
  const found = accountOf(label, sources);
  if (!found) return [];
  const { account, madeAs, shared } = found;
  const name = account.name ?? madeAs;
  // A component's account is made by its Deployment; the api's Jobs only name it.
  const maker = shared ? app : object.kind === 'Deployment' ? object.node.scope! : undefined;
  const id = shared ? 'PodsServiceAccount' : 'ServiceAccount';
  if (account.create && maker && !maker.node.tryFindChild(id)) {
    const { 'app.kubernetes.io/component': _component, ...labels } = json.metadata.labels;
    new k8s.KubeServiceAccount(maker, id, {
      metadata: { name, namespace: json.metadata.namespace, labels: shared ? labels : json.metadata.labels, annotations: { ...syncWave(SYNC_WAVE.bootstrap), ...account.annotations } },
      automountServiceAccountToken: false,
    });
  }
  const patches = [JsonPatch.add('/spec/template/spec/serviceAccountName', name)];
  if (account.create && account.annotations?.[AZURE_CLIENT_ID] !== undefined) {
    patches.push(JsonPatch.add(`/spec/template/metadata/labels/${AZURE_USE_LABEL.replace(/\//g, '~1')}`, 'true'));
  }
  return patches;
}
