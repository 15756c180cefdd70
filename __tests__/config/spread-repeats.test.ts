/**
 * Two topology spread constraints of one topologyKey and whenUnsatisfiable: the API server refuses the Deployment
 * (`{topologyKey, whenUnsatisfiable}: Duplicate value`), so synth says it first, in one line per repeat, and a list of
 * 10,000 repeats is read in linear time.
 */
import { configProblems } from '../helpers/configs';

const zone = { maxSkew: 1, topologyKey: 'topology.kubernetes.io/zone', whenUnsatisfiable: 'ScheduleAnyway' };

test('a repeated key and policy is refused, naming the first', () => {
  expect(configProblems({ dify: { api: { topologySpreadConstraints: [zone, { ...zone, maxSkew: 2 }] } } })).toEqual([
    'env.yaml: dify.api.topologySpreadConstraints[1].topologyKey: "topology.kubernetes.io/zone" is not allowed: '
      + 'repeats the topologyKey and whenUnsatisfiable of constraint 0, which Kubernetes refuses: keep one']);
});

test('one key under both policies, or two keys, is taken', () => {
  expect(configProblems({ dify: { pods: { topologySpreadConstraints: [zone, { ...zone, whenUnsatisfiable: 'DoNotSchedule' },
    { ...zone, topologyKey: 'kubernetes.io/hostname' }] } } })).toEqual([]);
});

test('10,000 repeats finish in seconds', () => {
  const started = Date.now();
  expect(configProblems({ dify: { api: { topologySpreadConstraints: Array(10_000).fill(zone) } } })).toHaveLength(9_999);
  expect(Date.now() - started).toBeLessThan(5000);
});
