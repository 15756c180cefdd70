/**
 * The pod settings (`dify.pods` and each component's): the rules Kubernetes applies to them that a user is likely to
 * break, checked here so synth refuses them in one line instead of the API server at apply time. Objects Kubernetes
 * checks in depth (affinity, a volume's source) are taken as mappings and validated against the Kubernetes schema in
 * the tests.
 */
import { z } from 'zod';
import { DNS_1123_LABEL, isQualifiedName } from './grammar';
import { dnsSubdomain, section } from './schema-parts';

/** A label value: at most 63 characters, alphanumeric at both ends. */
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?$/;

/** The pod labels the platform's selectors use: changing them would orphan the pods. */
const SELECTOR_LABELS = ['app.kubernetes.io/name', 'app.kubernetes.io/component'];

const mapping = (what: string) => z.record(z.string(), z.unknown(), { error: `must be a mapping (${what})` });

const qualifiedKey = z.string().refine(isQualifiedName, { error: 'must be a key such as example.com/name (a DNS prefix, "/", and a name of at most 63 characters)' });

const labelMap = z.record(qualifiedKey, z.string({ error: 'must be a string (quote it in YAML)' })
  .max(63, { error: 'must be a label value of at most 63 characters' })
  .regex(LABEL_VALUE, { error: 'must be a label value: letters, digits, "-", "_" and ".", starting and ending with a letter or digit' }),
{ error: 'must be a mapping of label keys to values' });

const annotationMap = z.record(qualifiedKey, z.string({ error: 'must be a string (quote it in YAML)' }), { error: 'must be a mapping of annotation keys to strings' });

const toleration = section({
  key: qualifiedKey.optional(),
  operator: z.enum(['Exists', 'Equal'], { error: 'must be one of Exists, Equal' }).optional(),
  value: z.string({ error: 'must be a string (quote it in YAML)' }).optional(),
  effect: z.enum(['NoSchedule', 'PreferNoSchedule', 'NoExecute'], { error: 'must be one of NoSchedule, PreferNoSchedule, NoExecute' }).optional(),
  tolerationSeconds: z.number({ error: 'must be a whole number of seconds' }).int({ error: 'must be a whole number of seconds' }).optional(),
}).superRefine((entry, ctx) => {
  if (entry.operator === 'Exists' && entry.value) {
    ctx.addIssue({ code: 'custom', path: ['value'], input: entry.value, message: 'must be empty with operator Exists (it matches any value)' });
  }
  if (!entry.key && entry.operator !== 'Exists') {
    ctx.addIssue({ code: 'custom', path: ['operator'], input: entry.operator, message: 'must be Exists when the key is empty (tolerate every taint)' });
  }
  if (entry.tolerationSeconds !== undefined && entry.effect !== 'NoExecute') {
    ctx.addIssue({ code: 'custom', path: ['tolerationSeconds'], input: entry.tolerationSeconds, message: 'is only for effect NoExecute' });
  }
});

const spreadConstraint = section({
  maxSkew: z.number({ error: 'must be a whole number of at least 1' }).int({ error: 'must be a whole number of at least 1' }).min(1, { error: 'must be a whole number of at least 1' }),
  topologyKey: qualifiedKey,
  whenUnsatisfiable: z.enum(['DoNotSchedule', 'ScheduleAnyway'], { error: 'must be one of DoNotSchedule, ScheduleAnyway' }),
  labelSelector: mapping('a label selector').optional(),
  minDomains: z.number().int().min(1).optional(),
  matchLabelKeys: z.array(z.string()).optional(),
  nodeAffinityPolicy: z.enum(['Honor', 'Ignore']).optional(),
  nodeTaintsPolicy: z.enum(['Honor', 'Ignore']).optional(),
});

const volume = mapping('a pod volume: a name and one source').superRefine((entry, ctx) => {
  if (typeof entry.name !== 'string' || !DNS_1123_LABEL.test(entry.name) || entry.name.length > 63) {
    ctx.addIssue({ code: 'custom', path: ['name'], input: entry.name, message: 'must be a volume name: lowercase letters, digits and "-"' });
  }
  if (Object.keys(entry).filter((key) => key !== 'name').length !== 1) {
    ctx.addIssue({ code: 'custom', input: Object.keys(entry), message: 'must have a name and exactly one source (configMap, secret, emptyDir, persistentVolumeClaim...)' });
  }
});

const volumeMount = section({
  name: z.string({ error: 'must name a volume of the pod' }),
  mountPath: z.string({ error: 'must be an absolute path' }).regex(/^\/[^:]*$/, { error: 'must be an absolute path without ":"' }),
  subPath: z.string().optional(),
  readOnly: z.boolean({ error: 'must be true or false' }).optional(),
});

/** Where a data-tier component's pods may run (`scheduling` of a cluster and of Redis's sentinels). */
export const schedulingShape = {
  nodeSelector: labelMap.optional(),
  tolerations: z.array(toleration, { error: 'must be a list of tolerations' }).optional(),
  affinity: section({
    nodeAffinity: mapping('a node affinity').optional(),
    podAffinity: mapping('a pod affinity').optional(),
    podAntiAffinity: mapping('a pod anti-affinity').optional(),
  }).optional(),
  topologySpreadConstraints: z.array(spreadConstraint, { error: 'must be a list of topology spread constraints' }).optional(),
};

/** The keys of every pod-settings section, shared by `dify.pods` and each component. */
export const podSettingsShape = {
  ...schedulingShape,
  priorityClassName: dnsSubdomain('PriorityClass name').optional(),
  annotations: annotationMap.optional(),
  labels: labelMap.refine((labels) => !SELECTOR_LABELS.some((key) => key in labels), {
    error: `must not set ${SELECTOR_LABELS.join(' or ')}: the platform's selectors use them`,
  }).optional(),
  securityContext: mapping('a pod security context').optional(),
  containerSecurityContext: mapping('a container security context').optional(),
  extraVolumes: z.array(volume, { error: 'must be a list of volumes' }).optional(),
  extraVolumeMounts: z.array(volumeMount, { error: 'must be a list of volume mounts' }).optional(),
};
