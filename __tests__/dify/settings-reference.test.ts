/**
 * Valid is not working: a variable Dify does not read is a setting that silently does nothing (a typo, a name from
 * another version, a name only another program reads). Every variable the platform gives a Dify container must be
 * one that program of that version reads, per the lists taken from Dify's source in
 * facts/dify-settings/<version>/ (README there: what counts as "read").
 */
import * as fs from 'fs';
import * as path from 'path';
import { DIFY_RELEASES, difyFeatures } from '../../lib';
import { allPodSpecs } from '../helpers/dify';
import { PLATFORMS } from '../helpers/platforms';
import { Manifest, synthPlatform } from '../helpers/synth';

type Program = 'api' | 'web' | 'sandbox' | 'plugin-daemon' | 'agent-backend' | 'local-sandbox';

/** Which program each Dify image runs (by its repository's last part, wherever it is pulled from). */
const PROGRAM_OF_IMAGE: Readonly<Record<string, Program>> = {
  'dify-api': 'api', 'dify-web': 'web', 'dify-sandbox': 'sandbox', 'dify-plugin-daemon': 'plugin-daemon',
  'dify-agent-backend': 'agent-backend', 'dify-agent-local-sandbox': 'local-sandbox',
};

/** The program a container runs, or undefined for a support container (psql, squid, busybox...). */
function programOf(image: string): Program | undefined {
  return PROGRAM_OF_IMAGE[image.split('@')[0].split(':')[0].split('/').pop()!];
}

/** The programs of each version: Agent v2's two exist from 1.16 on. */
function programsOf(version: string): Program[] {
  const all = [...new Set(Object.values(PROGRAM_OF_IMAGE))];
  return difyFeatures(version).agent ? all : all.filter((program) => program !== 'agent-backend' && program !== 'local-sandbox');
}

/**
 * Names the platform sets although the program's list lacks them, each with the reason. The lists leave out what
 * libraries and runtimes read on their own (their README, "Not covered anywhere").
 */
const ALLOWED_UNLISTED: Readonly<Record<Program, Readonly<Record<string, string>>>> = {
  api: {
    // psycopg2's libpq reads it for every connection that names no sslmode, Dify's pgvector pool included.
    PGSSLMODE: 'read by libpq (psycopg2), not by Dify code',
    // dify.egressProxy: httpx and requests read them from the environment (Dify's own clients of the plugin daemon pass trust_env=False).
    HTTP_PROXY: 'read by httpx and requests, not by Dify code',
    HTTPS_PROXY: 'read by httpx and requests, not by Dify code',
    NO_PROXY: 'read by httpx and requests, not by Dify code',
  },
  web: {
    // Next.js's own telemetry switch, read by the Next runtime rather than Dify's code (listed from 1.x on).
    NEXT_TELEMETRY_DISABLED: 'read by Next.js itself, not by Dify code',
  },
  sandbox: {},
  'plugin-daemon': {},
  'agent-backend': {
    // Kubernetes expands them into DIFY_AGENT_REDIS_URL ($(VAR)), so the password is never written out.
    REDIS_USERNAME: 'defined only for $(REDIS_USERNAME) in DIFY_AGENT_REDIS_URL',
    REDIS_PASSWORD: 'defined only for $(REDIS_PASSWORD) in DIFY_AGENT_REDIS_URL',
    HTTP_PROXY: 'read by httpx, not by dify-agent code',
    HTTPS_PROXY: 'read by httpx, not by dify-agent code',
    NO_PROXY: 'read by httpx, not by dify-agent code',
  },
  'local-sandbox': {
    // The jobs' tools (curl, pip, uv, git) honour them; Dify's compose file sets the same three.
    HTTP_PROXY: 'read by the tools the jobs run, not by shellctl',
    HTTPS_PROXY: 'read by the tools the jobs run, not by shellctl',
    NO_PROXY: 'read by the tools the jobs run, not by shellctl',
  },
};

const SETTINGS_DIR = path.join(__dirname, '..', '..', 'facts', 'dify-settings');

/** A program's list: exact names, and prefix families written `NAME_*`. */
function readList(version: string, program: Program): { names: Set<string>; prefixes: string[] } | undefined {
  const file = path.join(SETTINGS_DIR, version, `${program}.txt`);
  if (!fs.existsSync(file)) return undefined;
  const lines = fs.readFileSync(file, 'utf8').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  return { names: new Set(lines.filter((line) => !line.endsWith('*'))), prefixes: lines.filter((line) => line.endsWith('*')).map((line) => line.slice(0, -1)) };
}

/** `<where>: <NAME>` for every variable of a Dify container that its program of that version does not read. */
function unreadVariables(objects: Manifest[]): string[] {
  const problems: string[] = [];
  for (const [where, spec] of allPodSpecs(objects)) {
    const object = objects.find((candidate) => `${candidate.kind}/${candidate.metadata.name}` === where)!;
    // Every container that runs a Dify program: the main ones, and init containers such as the migration step.
    for (const container of [...(spec.initContainers ?? []), ...spec.containers]) {
      const program = programOf(container.image);
      if (!program) continue;
      const version = object.metadata.labels!['app.kubernetes.io/version'];
      const list = readList(version, program);
      if (!list) {
        problems.push(`${where}: no settings list for ${program} of Dify ${version} in ${SETTINGS_DIR}`);
        continue;
      }
      for (const variable of container.env ?? []) {
        const name: string = variable.name;
        const read = list.names.has(name) || list.prefixes.some((prefix) => name.startsWith(prefix)) || name in ALLOWED_UNLISTED[program];
        if (!read) problems.push(`${where}: ${name}`);
      }
    }
  }
  return problems;
}

describe('every variable given to a Dify program is one it reads', () => {
  test.each(PLATFORMS)('%s', (_name, props) => {
    expect(unreadVariables(synthPlatform(props))).toEqual([]);
  });

  test.each(Object.keys(DIFY_RELEASES))('Dify %s, every supported version, has its lists, with every option it offers on', (version) => {
    const features = difyFeatures(version);
    for (const program of programsOf(version)) expect(readList(version, program)).toBeDefined();
    const options = { collaboration: { enabled: features.websocketService }, agent: { enabled: features.agent !== undefined } };

    expect(unreadVariables(synthPlatform({ dify: { version } }))).toEqual([]);
    expect(unreadVariables(synthPlatform({ dify: { version, ...options } }))).toEqual([]);
    if (features.sentinel) expect(unreadVariables(synthPlatform({ dify: { version, ...options, redisMode: 'sentinel' } }))).toEqual([]);
  });

  test('a misspelled or misplaced variable is caught', () => {
    const objects = synthPlatform({ dify: { agent: { enabled: true } } });
    const containerOf = (name: string) => objects.find((object) => object.kind === 'Deployment' && object.metadata.name === name)!.spec.template.spec.containers[0];
    containerOf('dify-api').env.push({ name: 'QDRANT_REPLICATON_FACTOR', value: '2' }, { name: 'APP_API_URL', value: 'x' });
    containerOf('dify-agent-backend').env.push({ name: 'DIFY_AGENT_REDIS_URI', value: 'redis://x' });

    expect(unreadVariables(objects)).toEqual(['Deployment/dify-api: QDRANT_REPLICATON_FACTOR', 'Deployment/dify-api: APP_API_URL',
      'Deployment/dify-agent-backend: DIFY_AGENT_REDIS_URI']);
  });

  test('a version without lists fails instead of passing', () => {
    const objects = synthPlatform();
    for (const object of objects) if (object.metadata.labels?.['app.kubernetes.io/component'] === 'web') object.metadata.labels['app.kubernetes.io/version'] = '9.9.9';

    expect(unreadVariables(objects)).toEqual([expect.stringMatching(/^Deployment\/dify-web: no settings list for web of Dify 9\.9\.9/)]);
  });
});
