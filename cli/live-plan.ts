/**
 * `plan --live`: what applying the platforms would change in the cluster of the current kube context, as `helm diff`
 * tells Helm users. Each platform file is read against the cluster with kubectl: the objects it holds that exist
 * are dry-run applied server-side (with the API server's defaults, webhooks and field ownership) and diffed field by
 * field with the live ones; those that do not exist are to create; applied objects of the platform's namespaces that
 * carry its label, or that its file in dist/ holds, and that it no longer writes are "to delete (with prune)".
 * Nothing is written to the cluster or to dist/.
 */
import * as fs from 'fs';
import * as path from 'path';
import type { PlanArgs } from './commands/plan';
import { Kubectl, kubectl, kubectlPath } from './kubectl';
import { Library, PlatformConfig } from './library';

type Objects = ReturnType<Library['publishedObjects']> & object;
type KubeObject = Objects[number] & { metadata?: { annotations?: Record<string, string>; managedFields?: { operation?: string }[] } };

/** The label every object of a platform carries (lib/dify/components/workload.ts). */
const PLATFORM_LABEL = 'app.kubernetes.io/part-of=dify';

/** `Kind` in `group` to the resource kubectl names it by (`deployments.apps`), and whether it is namespaced. */
type Resources = Map<string, { resource: string; namespaced: boolean }>;

const groupOf = (apiVersion = '') => (apiVersion.includes('/') ? apiVersion.split('/')[0] : '');
const kindKey = (object: KubeObject) => `${groupOf(object.apiVersion)}/${object.kind}`;

/** The resources the cluster serves (`kubectl api-resources`: NAME [SHORTNAMES] APIVERSION NAMESPACED KIND). */
function resourcesOf(run: Kubectl): Resources {
  const lines = run(['api-resources', '--no-headers'], 'listing the cluster\'s resources').split('\n').filter((line) => line.trim());
  return new Map(lines.map((line) => {
    const words = line.trim().split(/\s+/);
    const [name, apiVersion, namespaced, kind] = [words[0], words[words.length - 3], words[words.length - 2], words[words.length - 1]];
    const group = groupOf(apiVersion);
    return [`${group}/${kind}`, { resource: group ? `${name}.${group}` : name, namespaced: namespaced === 'true' }];
  }));
}

/** The items of kubectl's JSON output: a List, or one object. */
function itemsOf(json: string): KubeObject[] {
  if (!json.trim()) return [];
  const parsed = JSON.parse(json) as KubeObject & { items?: KubeObject[] };
  return parsed.kind === 'List' || parsed.items ? parsed.items ?? [] : [parsed];
}

/** Applied by a client (kubectl, Argo CD, Flux): what a prune may delete. Objects a controller made are not. */
function applied(object: KubeObject): boolean {
  return object.metadata?.annotations?.['kubectl.kubernetes.io/last-applied-configuration'] !== undefined
    || (object.metadata?.managedFields ?? []).some((entry) => entry.operation === 'Apply');
}

interface Reader {
  readonly run: Kubectl;
  readonly resources: Resources;
  /** The namespaced resources the cluster lists (`deployments.apps`). */
  readonly listable: readonly string[];
  readonly scratch: string;
  readonly fieldManager: string;
}

/** The objects of `objects` the cluster has, as it has them. */
function liveOf(reader: Reader, objects: readonly KubeObject[], yamlOf: (objects: readonly unknown[]) => string, what: string): KubeObject[] {
  if (objects.length === 0) return [];
  const file = path.join(reader.scratch, 'get.yaml');
  fs.writeFileSync(file, yamlOf(objects));
  // Managed fields shown (kubectl hides them by default): they tell a server-side applied object from a controller's.
  return itemsOf(reader.run(['get', '-f', file, '--ignore-not-found', '--show-managed-fields', '-o', 'json'], `reading ${what}`));
}

/** One platform file's plan against the cluster. */
function platformLive(app: Library, reader: Reader, staged: readonly KubeObject[], previous: readonly KubeObject[], allStaged: ReadonlySet<string>, file: string) {
  const known = (object: KubeObject) => reader.resources.has(kindKey(object));
  const unknownKinds = [...new Set(staged.filter((object) => !known(object)).map((object) => `${object.kind} (${object.apiVersion})`))];
  const live = liveOf(reader, staged.filter(known), app.yamlOf, `the objects of ${file}`);
  const liveKeys = new Set(live.map(app.keyOf));
  const existing = staged.filter((object) => liveKeys.has(app.keyOf(object)));
  let dryRun: KubeObject[] = [];
  if (existing.length > 0) {
    const target = path.join(reader.scratch, 'apply.yaml');
    fs.writeFileSync(target, app.yamlOf(existing));
    // --force-conflicts: the plan shows the objects as the platform's values make them, whoever owns a field now.
    dryRun = itemsOf(reader.run(['apply', '--server-side', '--dry-run=server', '--force-conflicts', `--field-manager=${reader.fieldManager}`,
      '-o', 'json', '-f', target], `dry-run applying ${file}`));
  }
  // What a prune would delete: the platform's labelled objects in its namespaces, and what its dist/ file held.
  const namespaces = [...new Set(staged.map((object) => object.metadata?.namespace).filter((ns): ns is string => ns !== undefined))];
  // Every kind the cluster lists, not only the platform's: a dropped setting can drop the last object of its kind.
  const labelled = namespaces.flatMap((namespace) => itemsOf(reader.run(['get', reader.listable.join(','), '-n', namespace, '-l', PLATFORM_LABEL, '--show-managed-fields', '-o', 'json'],
    `listing the platform's objects in namespace ${namespace}`)));
  const dropped = liveOf(reader, previous.filter(known).filter((object) => !allStaged.has(app.keyOf(object))), app.yamlOf, `the objects of dist/${file}`);
  const pruned = [...labelled, ...dropped].filter((object) => applied(object) && !allStaged.has(app.keyOf(object)));
  return { changes: app.liveChanges({ staged, live, dryRun, pruned }), unknownKinds };
}

/** The command: exit 0 when the plan was made (whatever it shows), 1 when the cluster could not be read. */
export function liveMain(app: Library, configs: readonly PlatformConfig[], staging: string, distDir: string, args: PlanArgs): number {
  const run = kubectl(kubectlPath());
  let context: string;
  try {
    context = run(['config', 'current-context'], 'no current kube context (set KUBECONFIG, or kubectl config use-context NAME)').trim();
  } catch (error) {
    console.error(`plan --live: ${(error as Error).message}`);
    return 1;
  }
  const scratch = fs.mkdtempSync(path.join(staging, 'live-'));
  try {
    let resources: Resources;
    let listable: string[];
    try {
      resources = resourcesOf(run);
      listable = run(['api-resources', '--namespaced=true', '--verbs=list', '-o', 'name'], 'listing the cluster\'s resources').split('\n').filter((name) => name.trim());
    } catch (error) {
      console.error(`plan --live: the cluster of context "${context}" cannot be read: ${(error as Error).message}`);
      return 1;
    }
    const reader: Reader = { run, resources, listable, scratch, fieldManager: args.fieldManager ?? 'kubectl' };
    const files = configs.map((config) => ({ config, file: `${config.name}.k8s.yaml` }));
    const stagedOf = (file: string) => app.publishedObjects(path.join(staging, file)) as KubeObject[];
    const allStaged = new Set(files.flatMap(({ file }) => stagedOf(file).map(app.keyOf)));
    const reports = files.map(({ config, file }) => ({ file, source: config.source,
      ...platformLive(app, reader, stagedOf(file), (app.publishedObjects(path.join(distDir, file), 'skip') ?? []) as KubeObject[], allStaged, file) }));
    if (args.output === 'json') console.log(JSON.stringify({ context, platforms: reports }, null, 2));
    else {
      console.log(reports.flatMap((report) => [
        `${report.file} (${report.source}) against context "${context}": ${app.countsOf(report.changes, 'to delete (with prune)')}`,
        ...app.changeLines(report.changes),
        ...report.unknownKinds.map((kind) => `  ! the cluster serves no ${kind}: install its CRDs before applying`),
      ]).join('\n'));
    }
    return 0;
  } catch (error) {
    console.error(`plan --live: ${(error as Error).message}`);
    return 1;
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
