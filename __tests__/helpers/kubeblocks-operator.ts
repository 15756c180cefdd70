/**
 * The real KubeBlocks operator beside the control plane of helpers/cluster.ts: the manager and the data-protection
 * controller of github.com/apecloud/kubeblocks v1.0.2, built from the published Go module
 * (scripts/cluster-tools/kubeblocks.js), run out of cluster against the control plane's API server, with the CRDs
 * of the same module and the addons' definitions (ClusterDefinitions, ComponentDefinitions, ComponentVersions,
 * BackupPolicyTemplates, ActionSets, their ConfigMaps and scripts) rendered with helm from the addon charts at the
 * tag that operator installs (kubeblocks v1.0.2 deploy/helm/templates/addons/<name>-addon.yaml: version 1.0.2).
 * No pod ever runs: what the operator does once its pods are up (roles, post-provision actions, backups) is out of
 * reach (docs/cluster-tests.md).
 */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { ControlPlane, describeWithCluster, ETCD, freePort, get, KUBE_APISERVER, KUBE_CONTROLLER_MANAGER } from './cluster';
import { COMMON_CRDS } from './cluster-apply';
import { describeWithTool } from './required-tool';
import { hasThirdParty, thirdPartyFile } from './third-party';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const kubeblocks = require('../../scripts/cluster-tools/kubeblocks') as {
  kubeblocksTool(version: string, name: string): string | undefined;
  kubeblocksCrdDir(version: string): string | undefined;
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { toolPath } = require('../../scripts/tools') as { toolPath(tool: string): string };

/** The operator release the tier runs: the only one the module proxy serves (v0.9.5 is refused). */
export const OPERATOR_VERSION = 'v1.0.2';
const MANAGER = kubeblocks.kubeblocksTool(OPERATOR_VERSION, 'manager');
const DATAPROTECTION = kubeblocks.kubeblocksTool(OPERATOR_VERSION, 'dataprotection');
const CRD_DIR = kubeblocks.kubeblocksCrdDir(OPERATOR_VERSION);

/** The addons whose definitions are installed: the engines the platforms run, and what a Milvus cluster runs. */
export const ADDONS = ['postgresql', 'redis', 'qdrant', 'etcd', 'minio', 'milvus'];
/** The addon charts at the tag kubeblocks v1.0.2 installs, and kblib, the library chart they depend on. */
const ADDON_DIR = `kubeblocks-addons/${OPERATOR_VERSION}`;
const ADDON_CHARTS = [...ADDONS, 'kblib'].map((name) => `${ADDON_DIR}/${name}/Chart.yaml`);
/** KubeBlocks' StorageProviders of the 1.0 line (what its Helm chart installs), for the BackupRepos. */
const STORAGE_PROVIDERS = 'kubeblocks-storage-providers/1.0';

/** Where the operator runs, as KubeBlocks' Helm chart installs it (the NetworkPolicies' `kubeblocks.namespace`). */
export const OPERATOR_NAMESPACE = 'kb-system';

/** `describe` where the control plane, the operator's binaries and the addon charts are all there. */
export function describeWithOperator(): jest.Describe {
  if (!ETCD || !KUBE_APISERVER || !KUBE_CONTROLLER_MANAGER) return describeWithCluster();
  if (!hasThirdParty(...ADDON_CHARTS, ...COMMON_CRDS, `${STORAGE_PROVIDERS}/s3.yaml`)) {
    return describeWithTool(false, `the KubeBlocks addon charts (${ADDON_DIR}) and CRDs of the third-party folder`,
      'lay ../shared/third-party beside the checkout');
  }
  return describeWithTool(MANAGER !== undefined && DATAPROTECTION !== undefined && CRD_DIR !== undefined,
    `the KubeBlocks ${OPERATOR_VERSION} operator (manager, dataprotection, CRDs)`, 'node scripts/cluster-tools.js build');
}

/**
 * The addon charts rendered as KubeBlocks' addon controller installs them: release `kb-addon-<name>` in the
 * operator's namespace (kubeblocks v1.0.2 controllers/extensions/addon_controller_stages.go names the release so),
 * with kblib laid into each chart's charts/ folder as `helm dependency build` would (file://../kblib).
 */
export function renderAddons(scratch: string): string {
  const helm = toolPath('helm');
  const out: string[] = [];
  for (const addon of ADDONS) {
    const chart = path.join(scratch, 'addons', addon);
    fs.cpSync(thirdPartyFile(ADDON_DIR, addon), chart, { recursive: true });
    fs.cpSync(thirdPartyFile(ADDON_DIR, 'kblib'), path.join(chart, 'charts', 'kblib'), { recursive: true });
    out.push(execFileSync(helm, ['template', `kb-addon-${addon}`, chart, '--namespace', OPERATOR_NAMESPACE], {
      encoding: 'utf8', maxBuffer: 64 * 1024 * 1024,
    }));
  }
  return out.join('\n---\n');
}

/**
 * KubeBlocks' StorageProviders, which are templates of its own Helm chart (deploy/helm/templates/storageprovider/):
 * rendered in a chart of ours that gives the one helper they include, `kubeblocks.labels`.
 */
export function renderStorageProviders(scratch: string): string {
  const chart = path.join(scratch, 'storage-providers');
  fs.mkdirSync(path.join(chart, 'templates'), { recursive: true });
  fs.writeFileSync(path.join(chart, 'Chart.yaml'), 'apiVersion: v2\nname: storage-providers\nversion: 0.0.0\n');
  fs.writeFileSync(path.join(chart, 'templates', '_helpers.tpl'), '{{- define "kubeblocks.labels" -}}\napp.kubernetes.io/name: kubeblocks\n{{- end }}\n');
  for (const file of fs.readdirSync(thirdPartyFile(STORAGE_PROVIDERS)).filter((name) => name.endsWith('.yaml'))) {
    fs.copyFileSync(thirdPartyFile(STORAGE_PROVIDERS, file), path.join(chart, 'templates', file));
  }
  return execFileSync(toolPath('helm'), ['template', 'kubeblocks', chart], { encoding: 'utf8' });
}

/** Polls until `check` holds (bounded); throws with what `describe` says about the state at the end. */
export async function until(what: string, timeoutMs: number, check: () => boolean, describeState: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`${what}: not so after ${timeoutMs / 1000} s:\n${describeState()}`);
}

interface Phased { kind: string; metadata: { name: string }; status?: { phase?: string; message?: string } }

/** Every object of the kinds, as JSON. */
export function list<T>(cluster: ControlPlane, kinds: string, namespace?: string): T[] {
  const args = ['get', kinds, '-o', 'json', ...(namespace ? ['-n', namespace] : ['--all-namespaces'])];
  return (JSON.parse(cluster.kubectlOk(args)) as { items: T[] }).items;
}

/** Starts one of the operator's commands out of cluster: no webhooks, no leader election, probes on loopback. */
async function startCommand(cluster: ControlPlane, name: string, binary: string): Promise<void> {
  const probe = await freePort();
  await cluster.startBeside(name, binary, [
    `--kubeconfig=${cluster.kubeconfig}`, '--leader-elect=false',
    '--metrics-bind-address=0', `--health-probe-bind-address=127.0.0.1:${probe}`,
  ], {
    ...process.env,
    KUBECONFIG: cluster.kubeconfig,
    // The operator's own namespace (viper key CM_NAMESPACE, kubeblocks v1.0.2 pkg/constant/viper_config.go), where
    // it keeps its ConfigMaps and where the addons' ConfigMaps are.
    CM_NAMESPACE: OPERATOR_NAMESPACE,
    // No webhook server: cmd/manager/main.go registers the webhooks only when ENABLE_WEBHOOKS is "true".
    ENABLE_WEBHOOKS: 'false',
    // A scratch HOME: viper reads $HOME/.kubeblocks/config.yaml, which must not be the developer's.
    HOME: cluster.dir,
  }, 120000, async () => (await get(`http://127.0.0.1:${probe}/readyz`))?.status === 200);
}

/**
 * Installs KubeBlocks v1.0.2 into the control plane (its CRDs, the operator's namespace, the addons' definitions)
 * and starts the manager and the data-protection controller; resolves when every definition is Available.
 */
export async function startOperator(cluster: ControlPlane): Promise<void> {
  if (!MANAGER || !DATAPROTECTION || !CRD_DIR) throw new Error('the KubeBlocks operator is not built');
  cluster.kubectlOk(['apply', '--server-side', '-f', CRD_DIR]);
  for (const file of COMMON_CRDS) cluster.kubectlOk(['apply', '--server-side', '-f', thirdPartyFile(file)]);
  cluster.kubectlOk(['wait', '--for', 'condition=Established', '--timeout=120s', 'crd', '--all']);
  cluster.kubectlOk(['create', 'namespace', OPERATOR_NAMESPACE]);
  // A default StorageClass that allows expansion, as the clusters the platforms target have: the volume claims get it
  // at creation (the DefaultStorageClass admission), and the operator's VolumeExpansion validation reads it
  // (kubeblocks v1.0.2 apis/operations/v1alpha1/opsrequest_validation.go, validateVolumeExpansion).
  cluster.kubectlOk(['apply', '-f', '-'], JSON.stringify({
    apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', provisioner: 'example.com/none', allowVolumeExpansion: true,
    metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } },
  }));
  const addons = path.join(cluster.dir, 'addons.yaml');
  fs.writeFileSync(addons, renderAddons(cluster.dir));
  // Created, as helm install creates them: a server-side apply refuses the `serviceName:` left empty (null) by the
  // etcd and milvus charts' templates, which a create drops. Namespaced objects go to the release's namespace, as
  // helm install puts them (helm template writes no namespace into objects whose template names none).
  cluster.kubectlOk(['create', '-n', OPERATOR_NAMESPACE, '-f', addons]);
  const providers = path.join(cluster.dir, 'storage-providers.yaml');
  fs.writeFileSync(providers, renderStorageProviders(cluster.dir));
  cluster.kubectlOk(['create', '-f', providers]);
  await startCommand(cluster, 'kubeblocks-manager', MANAGER);
  await startCommand(cluster, 'kubeblocks-dataprotection', DATAPROTECTION);
  const kinds = 'clusterdefinitions.apps.kubeblocks.io,componentdefinitions.apps.kubeblocks.io,componentversions.apps.kubeblocks.io,'
    + 'backuppolicytemplates.dataprotection.kubeblocks.io';
  const notAvailable = () => list<Phased>(cluster, kinds).filter((d) => d.status?.phase !== 'Available');
  await until('every addon definition Available', 180000, () => notAvailable().length === 0,
    () => notAvailable().map((d) => `${d.kind} ${d.metadata.name}: ${d.status?.phase ?? '-'} ${d.status?.message ?? ''}`).join('\n'));
}
