/**
 * The one place that says no: every setting of a platform, from a YAML config file or from props in code, is checked
 * here, and each problem is reported with the path of the setting, the value and what is allowed.
 */
import { z } from 'zod';
import { VECTOR_STORES, VECTOR_STORES_NOT_YET, PGVECTOR_DEFAULT_VERSION } from '../kubeblocks/pgvector';
import { isBroughtIn } from '../kubeblocks/external-databases';
import { GUARD_RULE_IDS } from '../guard-rails/guard-rails';
import { DifyPlatformProps } from '../dify-platform-props';
import { MAX_DNS_LABEL } from '../kubeblocks/naming';
import { RELEASE_LINE_NAMES, ReleaseLine } from '../kubeblocks/release-lines';
import { ConfigError, formatProblem } from './config-error';
import { crossFieldIssues, settingPath } from './cross-checks';
import { backupRepoSection, milvusSection, postgresqlSection, qdrantSection, redisSection } from './data-tier-schema';
import { difySection } from './dify-schema';
import { DNS_1123_LABEL, SYSTEM_NAMESPACES } from './grammar';
import { labelMap, userLabelMap } from './pod-schema';
import { annotations, dnsLabel, section } from './schema-parts';
import { usableSettings } from './usable-settings';

/** Also here, where lib/index.ts has always exported it from. */
export { MAX_REPLICAS } from './schema-parts';

const platformShape = {
  namespace: z.string({ error: 'must be a namespace name' })
    .regex(DNS_1123_LABEL, { error: "must be a namespace name: lowercase letters, digits and '-', starting and ending with a letter or digit" })
    .max(MAX_DNS_LABEL, { error: `must be a namespace name of at most ${MAX_DNS_LABEL} characters` })
    .refine((name) => !SYSTEM_NAMESPACES.includes(name), { error: `must not be ${SYSTEM_NAMESPACES.join(', ')}: Kubernetes keeps them for itself (its control plane, public info and node heartbeats)` })
    .optional(),
  createNamespace: z.boolean({ error: 'must be true or false' }).optional(),
  kubeblocks: section({
    releaseLine: z.enum(RELEASE_LINE_NAMES as [ReleaseLine, ...ReleaseLine[]], {
      error: `must be one of ${RELEASE_LINE_NAMES.map((line) => `"${line}"`).join(', ')} (quote it in YAML)`,
    }).optional(),
    namespace: dnsLabel('namespace name').optional(),
  }).optional(),
  postgresql: postgresqlSection.optional(),
  redis: redisSection.optional(),
  vectorStore: z.enum(VECTOR_STORES, {
    error: (issue) => `must be one of ${VECTOR_STORES.join(', ')}${VECTOR_STORES_NOT_YET.includes(String(issue.input)) ? `; ${issue.input} is not offered yet` : ''}`,
  }).optional(),
  milvus: milvusSection.optional(),
  qdrant: qdrantSection.optional(),
  dify: difySection.optional(),
  backupRepo: backupRepoSection.optional(),
  networkPolicies: z.union([
    z.literal(false),
    section({ ingressNamespaces: z.array(dnsLabel('namespace name'), { error: 'must be a list of namespaces' }).min(1, { error: 'must name at least one namespace' }).optional() }),
  ], { error: 'must be false (no NetworkPolicies) or { ingressNamespaces: [...] }' }).optional(),
  monitoring: section({
    podMonitors: z.boolean({ error: 'must be true or false' }).optional(),
    namespaces: z.array(dnsLabel('namespace name'), { error: 'must be a list of namespaces' }).min(1, { error: 'must name at least one namespace' }).optional(),
    labels: labelMap.optional(),
  }).optional(),
  commonLabels: userLabelMap.optional(),
  commonAnnotations: annotations.optional(),
  allowDestructive: z.array(z.enum(GUARD_RULE_IDS, { error: `must be one of ${GUARD_RULE_IDS.join(', ')}` }),
    { error: `must be a list of guard rails to let through: ${GUARD_RULE_IDS.join(', ')}` }).optional(),
};

/** The shape and value checks of every setting; {@link parsePlatformProps} adds the checks across settings. */
export const platformSchema: z.ZodType<DifyPlatformProps> = section(platformShape);

function describeIssue(source: string, issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const prefix = settingPath(issue.path);
    const keys = issue.keys.map((key) => (prefix ? `${prefix}.${key}` : key)).join(', ');
    return `${source}: ${keys}: unknown setting: ${issue.message.replace(/^unknown setting [^;]*; /, '')}`;
  }
  return formatProblem(source, settingPath(issue.path), issue.input, issue.message);
}

/**
 * Validates platform settings and returns them typed, or throws a {@link ConfigError} with one line per problem:
 * every problem at once, the checks across settings included (they run on the settings that are well-formed, so a
 * bad replica count does not hide an unsupported version).
 * @param source where the settings came from (a file path, or "props"), for the error lines
 */
export function parsePlatformProps(input: unknown, source: string): DifyPlatformProps {
  const result = platformSchema.safeParse(input ?? {}, { reportInput: true });
  const shapeIssues = result.success ? [] : result.error.issues;
  const usable = result.success ? result.data : usableSettings(platformSchema, input ?? {});
  const badPaths = shapeIssues.map((issue) => settingPath(issue.path));
  const crossIssues = (usable ? crossFieldIssues(usable) : [])
    .filter((issue) => !badPaths.some((bad) => overlaps(bad, settingPath(issue.path))));
  const problems = [
    ...shapeIssues.map((issue) => describeIssue(source, issue)),
    ...crossIssues.map((issue) => formatProblem(source, settingPath(issue.path), issue.input, issue.message)),
  ];
  if (problems.length > 0) throw new ConfigError(problems);
  return withVectorStoreDefaults(result.data!);
}

/** With pgvector, PostgreSQL defaults to the newest version whose image carries it (the line's default may not). */
function withVectorStoreDefaults(props: DifyPlatformProps): DifyPlatformProps {
  if (props.vectorStore !== 'pgvector' || props.postgresql?.version !== undefined || isBroughtIn(props.postgresql)) return props;
  return { ...props, postgresql: { ...props.postgresql, version: PGVECTOR_DEFAULT_VERSION } };
}

/** Whether two setting paths name the same setting or one lies inside the other. */
function overlaps(a: string, b: string): boolean {
  const inside = (outer: string, inner: string) => outer === '' || inner === outer || inner.startsWith(`${outer}.`) || inner.startsWith(`${outer}[`);
  return inside(a, b) || inside(b, a);
}

export { ConfigError };
