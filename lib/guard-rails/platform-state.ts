/**
 * What the guard rails compare: the facts about a platform that a change can make dangerous, read from its
 * synthesized objects (so the platform file in dist/ and the one about to replace it are read the same way).
 */
import { quantityValue } from '../quantity';
import { Engine, ENGINE_DEFINITIONS, ENGINES } from '../kubeblocks/release-lines';
import { ImmutableFields, immutableFieldsOf } from './workload-state';

/** What holds Dify's data: the api's database and vectors, the plugin daemon's database (its installed plugins). */
export type DataHome = 'database' | 'vectors' | 'plugins';

/** A synthesized object, as much of it as the rules read. */
export interface ObjectLike {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
  readonly spec?: any;
}

/** One KubeBlocks component: what its pods keep. */
export interface ComponentState {
  readonly name: string;
  readonly replicas: number;
  /** The data volume's size, as written (`20Gi`). */
  readonly storage?: string;
}

/** One KubeBlocks cluster, found by its engine so that a renamed cluster is still the same database. */
export interface ClusterState {
  readonly engine: Engine;
  readonly name: string;
  readonly namespace?: string;
  /** `apps.kubeblocks.io/v1` (KubeBlocks 1.0) or `apps.kubeblocks.io/v1alpha1` (0.9). */
  readonly apiVersion: string;
  readonly version?: string;
  readonly terminationPolicy?: string;
  readonly components: readonly ComponentState[];
}

/** A volume of the Dify tier that holds files (the embedded MinIO's, the plugin daemon's, the files volume). */
export interface VolumeState {
  /** The setting that sizes it. */
  readonly setting: string;
  /** Its size, as written (`20Gi`). */
  readonly size: string;
}

export interface PlatformState {
  /** The Dify version the platform's Dify objects carry, if it has any. */
  readonly difyVersion?: string;
  /** The KubeBlocks clusters, by engine. */
  readonly clusters?: Readonly<Record<string, ClusterState>>;
  /** The Dify tier's data volumes, by `Kind name` of the object that claims them. */
  readonly volumes?: Readonly<Record<string, VolumeState>>;
  /** Where uploaded files are kept, in words (`the embedded MinIO`, `s3 bucket dify-files at https://...`). */
  readonly fileStore?: string;
  /** The vector store the api is wired to (its VECTOR_STORE: `qdrant`, `pgvector`). */
  readonly vectorStore?: string;
  /**
   * Where Dify's data lives, as its programs are wired to it: the api's database (`host:port/database`) and vector
   * store (the Qdrant or Milvus URL, or the pgvector `host:port/database`), the plugin daemon's database. A change is
   * a move to another, empty place.
   */
  readonly dataHomes?: Readonly<Partial<Record<DataHome, string>>>;
  /** The fields of its workloads and claims that cannot change on a live object, by `Kind namespace/name`. */
  readonly immutable?: Readonly<Record<string, ImmutableFields>>;
}

/** The setting that sizes each data volume, by the `app.kubernetes.io/component` of the object that claims it. */
const VOLUME_SETTINGS: Readonly<Record<string, string>> = {
  minio: 'dify.storage.minio.size', 'plugin-daemon': 'dify.pluginStorage.size', storage: 'dify.storage.volume.size',
};

/** The variables that name where a store keeps the files, after STORAGE_TYPE. */
const STORE_VARIABLES = ['S3_ENDPOINT', 'S3_BUCKET_NAME', 'AZURE_BLOB_ACCOUNT_NAME', 'AZURE_BLOB_CONTAINER_NAME', 'GOOGLE_STORAGE_BUCKET_NAME',
  'ALIYUN_OSS_ENDPOINT', 'ALIYUN_OSS_BUCKET_NAME', 'OPENDAL_FS_ROOT', 'STORAGE_LOCAL_PATH'];

function componentOf(object: ObjectLike): string | undefined {
  return object.metadata?.labels?.['app.kubernetes.io/component'];
}

/** The data volumes: PVCs and StatefulSet claim templates of the Dify tier's components. */
function volumesOf(objects: readonly ObjectLike[]): Record<string, VolumeState> {
  const volumes: Record<string, VolumeState> = {};
  for (const object of objects) {
    const component = componentOf(object) ?? '';
    const chart = object.metadata?.labels?.['helm.sh/chart'] !== undefined;
    const setting = chart ? `dify.chart.values (${object.kind} ${object.metadata?.name})` : VOLUME_SETTINGS[component];
    if (!setting) continue;
    const size = object.kind === 'PersistentVolumeClaim' ? object.spec?.resources?.requests?.storage
      : object.kind === 'StatefulSet' ? object.spec?.volumeClaimTemplates?.[0]?.spec?.resources?.requests?.storage : undefined;
    if (size !== undefined) volumes[`${object.kind} ${object.metadata?.name}`] = { setting, size };
  }
  return volumes;
}

/** The literal value of a variable of a Deployment's main container, the api's unless another component is named. */
function workloadVariable(objects: readonly ObjectLike[], name: string, component = 'api'): string | undefined {
  const deployment = objects.find((object) => object.kind === 'Deployment' && componentOf(object) === component);
  const env: { name: string; value?: string }[] = deployment?.spec?.template?.spec?.containers?.[0]?.env ?? [];
  return env.find((variable) => variable.name === name)?.value;
}

/** Where the api keeps uploaded files: the embedded MinIO, the files volume, or its store's type and location. */
function fileStoreOf(objects: readonly ObjectLike[]): string | undefined {
  if (objects.some((object) => object.kind === 'StatefulSet' && componentOf(object) === 'minio')) return 'the embedded MinIO';
  // Dify 0.x calls the volume `local` and 1.x `opendal` fs: the files are on the same claim either way.
  const volume = objects.find((object) => object.kind === 'PersistentVolumeClaim' && componentOf(object) === 'storage');
  if (volume) return `the files volume ${volume.metadata?.name}`;
  const value = (name: string) => workloadVariable(objects, name);
  const type = value('STORAGE_TYPE');
  if (!type) return undefined;
  const where = STORE_VARIABLES.map(value).filter((found): found is string => found !== undefined);
  return [type, ...where].join(' ');
}

/** `host:port/database` of a component's variables named by `prefix` (`DB`, `PGVECTOR`), or undefined. */
function databaseAddress(objects: readonly ObjectLike[], prefix: string, component = 'api'): string | undefined {
  const value = (name: string) => workloadVariable(objects, `${prefix}_${name}`, component);
  const host = value('HOST');
  return host === undefined ? undefined : `${host}:${value('PORT') ?? ''}/${value('DATABASE') ?? ''}`;
}

/** Where Dify keeps its data: the api's database and its vectors in the store it is wired to, the plugin daemon's database. */
function dataHomesOf(objects: readonly ObjectLike[]): PlatformState['dataHomes'] {
  const homes: Partial<Record<DataHome, string | undefined>> = {
    database: databaseAddress(objects, 'DB'),
    vectors: workloadVariable(objects, 'QDRANT_URL') ?? workloadVariable(objects, 'MILVUS_URI') ?? databaseAddress(objects, 'PGVECTOR'),
    plugins: databaseAddress(objects, 'DB', 'plugin-daemon'),
  };
  return Object.fromEntries(Object.entries(homes).filter(([, where]) => where !== undefined));
}

/** The engine of a Cluster, by the definition names the renderers write on either line (release-lines.ts). */
function engineOf(spec: any): Engine | undefined {
  return ENGINES.find((engine) => spec.clusterDef === ENGINE_DEFINITIONS[engine].clusterDef
    || spec.clusterDefinitionRef === ENGINE_DEFINITIONS[engine].clusterDefinitionRef);
}

/** 1.0 pins each component's serviceVersion; 0.9 a ClusterVersion named `<clusterVersionPrefix>-<version>`. */
function versionOf(engine: Engine, spec: any): string | undefined {
  const prefix = `${ENGINE_DEFINITIONS[engine].clusterVersionPrefix}-`;
  const clusterVersion: string | undefined = spec.clusterVersionRef;
  return spec.componentSpecs?.[0]?.serviceVersion ?? (clusterVersion?.startsWith(prefix) ? clusterVersion.slice(prefix.length) : clusterVersion);
}

function clusterState(object: ObjectLike): ClusterState | undefined {
  const spec = object.spec ?? {};
  const engine = engineOf(spec);
  if (!engine) return undefined;
  const components: ComponentState[] = (spec.componentSpecs ?? []).map((component: any) => ({
    name: component.name,
    replicas: component.replicas,
    storage: component.volumeClaimTemplates?.[0]?.spec?.resources?.requests?.storage,
  }));
  const version = versionOf(engine, spec);
  return {
    engine, name: object.metadata?.name ?? '', namespace: object.metadata?.namespace, apiVersion: object.apiVersion ?? '',
    version, terminationPolicy: spec.terminationPolicy, components,
  };
}

/** The facts of one platform's objects. */
export function platformState(objects: readonly ObjectLike[]): PlatformState {
  const dify = objects.find((object) => object.metadata?.labels?.['app.kubernetes.io/part-of'] === 'dify'
    && object.metadata.labels['app.kubernetes.io/version'] !== undefined);
  const clusters = objects.filter((object) => object.kind === 'Cluster').map(clusterState).filter((state): state is ClusterState => state !== undefined);
  return {
    difyVersion: dify?.metadata?.labels?.['app.kubernetes.io/version'],
    clusters: Object.fromEntries(clusters.map((cluster) => [cluster.engine, cluster])),
    volumes: volumesOf(objects),
    fileStore: fileStoreOf(objects),
    vectorStore: workloadVariable(objects, 'VECTOR_STORE'),
    dataHomes: dataHomesOf(objects),
    immutable: immutableFieldsOf(objects),
  };
}

/** Compares two storage sizes as quantities. */
export function smallerStorage(next: string | undefined, previous: string | undefined): boolean {
  return next !== undefined && previous !== undefined && quantityValue(next) < quantityValue(previous);
}
