/** What every Dify component of the native tier takes: its pods, replicas, resources, env, Service, probes, autoscaling. */
import { z } from 'zod';
import { ENV_NAME, isPinnedImage, parseImageReference } from './grammar';
import { podSettingsShape } from './pod-schema';
import { annotations, dnsSubdomain, keyRef, MAX_REPLICAS, replicas, resources, section, wholeNumber } from './schema-parts';

const envEntry = section({
  name: z.string({ error: 'must be a variable name' }).regex(ENV_NAME, { error: 'must be a variable name: letters, digits, _ . -, not starting with a digit' }),
  value: z.string({ error: 'must be a string (quote numbers and booleans in YAML)' }).optional(),
  valueFrom: section({ secretKeyRef: keyRef.optional(), configMapKeyRef: keyRef.optional() })
    .refine((from) => Object.keys(from).length === 1, { error: 'must name exactly one source: secretKeyRef or configMapKeyRef' }).optional(),
}).refine((entry) => !(entry.value !== undefined && entry.valueFrom !== undefined), {
  error: 'must have either value or valueFrom, not both',
});
export const extraEnv = z.array(envEntry, { error: 'must be a list of {name, value} or {name, valueFrom}' });

export const image = z.string({ error: 'must be an image reference' })
  .refine((ref) => parseImageReference(ref) !== undefined, {
    error: 'must be an image reference such as registry.example.com/team/dify-api:1.13.3 (lowercase repository)',
  })
  .refine((ref) => parseImageReference(ref) === undefined || isPinnedImage(ref), {
    error: 'must be a pinned image: repository:tag (not latest) or repository@sha256:digest',
  });

/** The ServiceAccount pods run as (`dify.pods` and each component): made here, or one that exists. */
export const serviceAccount = section({
  create: z.boolean({ error: 'must be true or false' }).optional(),
  name: dnsSubdomain('ServiceAccount name').optional(),
  annotations: annotations.optional(),
}).refine((account) => account.create || account.name !== undefined, {
  error: 'needs create: true, or the name of a ServiceAccount that exists',
}).superRefine((account, ctx) => {
  // Annotations of an account made elsewhere would be dropped without a word: the platform writes no such object.
  if (!account.create && account.annotations !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['annotations'], input: account.annotations,
      message: 'go on a ServiceAccount made here (create: true); annotate the existing one where it is made' });
  }
});

export const difyComponent = {
  ...podSettingsShape,
  serviceAccount: serviceAccount.optional(),
  replicas: replicas(MAX_REPLICAS.dify).optional(),
  resources: resources.optional(),
  env: extraEnv.optional(),
};
export const singleReplica = z.literal(1, { error: 'must be 1: this component must never run twice at once' }).optional();

const seconds = (min: number) => wholeNumber(min, 3600);
const probeTimingShape = {
  initialDelaySeconds: seconds(0).optional(), periodSeconds: seconds(1).optional(), timeoutSeconds: seconds(1).optional(),
  failureThreshold: wholeNumber(1, 100).optional(), successThreshold: wholeNumber(1, 100).optional(),
};
const probeTimings = section(probeTimingShape);
/** The API server refuses any other successThreshold on a liveness or startup probe: one success is the verdict. */
const onceProbeTimings = section({
  ...probeTimingShape,
  successThreshold: z.literal(1, { error: 'must be 1 for a liveness or startup probe (Kubernetes refuses any other)' }).optional(),
});
/** What a component with a Service and probes also takes. */
export const serving = {
  service: section({
    type: z.enum(['ClusterIP', 'NodePort', 'LoadBalancer'], { error: 'must be one of ClusterIP, NodePort, LoadBalancer' }).optional(),
    annotations: annotations.optional(),
  }).optional(),
  livenessProbe: onceProbeTimings.optional(),
  readinessProbe: probeTimings.optional(),
  startupProbe: onceProbeTimings.optional(),
};
const percent = wholeNumber(1, 100);
export const autoscaling = section({
  minReplicas: replicas(MAX_REPLICAS.dify).optional(),
  maxReplicas: replicas(MAX_REPLICAS.dify),
  targetCPUUtilizationPercentage: percent.optional(),
  targetMemoryUtilizationPercentage: percent.optional(),
}).superRefine((hpa, ctx) => {
  if ((hpa.minReplicas ?? 1) > hpa.maxReplicas) {
    ctx.addIssue({ code: 'custom', path: ['maxReplicas'], input: hpa.maxReplicas, message: `must be at least minReplicas (${hpa.minReplicas})` });
  }
  if (hpa.targetCPUUtilizationPercentage === undefined && hpa.targetMemoryUtilizationPercentage === undefined) {
    ctx.addIssue({ code: 'custom', input: hpa, message: 'needs targetCPUUtilizationPercentage or targetMemoryUtilizationPercentage: what to scale on' });
  }
});
/** A component that must run exactly one pod cannot autoscale: say so rather than "unknown setting". */
export const noAutoscaling = z.never({ error: 'is not allowed here: this component runs exactly one replica' }).optional();
