import { compareVersions, DIFY_RELEASES, DifyPlatformProps, guardRailFindings, ObjectLike, platformState } from '../../lib';
import { changedImmutableFields, immutableFieldsOf } from '../../lib/guard-rails/workload-state';
import { describeWithCommunityCharts } from '../helpers/community-charts';
import { describeWithHelm } from '../helpers/required-tool';
import { BORIS_CHART, CHART_0_9_1, VARIATIONS } from '../helpers/platforms';
import { synthPlatform } from '../helpers/synth';

const deployment = (selector: Record<string, string>, labels: Record<string, string> = {}): ObjectLike => ({
  apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'dify-api', namespace: 'dify', labels }, spec: { selector: { matchLabels: selector } },
});
const findings = (before: DifyPlatformProps, after: DifyPlatformProps) =>
  guardRailFindings(platformState(synthPlatform(before)), platformState(synthPlatform(after)), new Set()).filter((f) => f.reason.includes('workloadReplaced'));

describe('the immutable fields of workloads and claims', () => {
  test('compares selectors whatever their key order, and reports the first field that differs', () => {
    const before = immutableFieldsOf([deployment({ a: '1', b: '2' })]);
    expect(changedImmutableFields(before, immutableFieldsOf([deployment({ b: '2', a: '1' })]))).toEqual([]);
    expect(changedImmutableFields(before, immutableFieldsOf([deployment({ a: '1', c: '3' })])))
      .toEqual([expect.objectContaining({ field: 'spec.selector', after: expect.objectContaining({ kind: 'Deployment', name: 'dify-api' }) })]);
  });

  test('an object that is new or gone is no change of an immutable field', () => {
    expect(changedImmutableFields({}, immutableFieldsOf([deployment({ a: '1' })]))).toEqual([]);
    expect(changedImmutableFields(immutableFieldsOf([deployment({ a: '1' })]), {})).toEqual([]);
  });

  test('refuses a selector change in one line that names the objects and the kubectl delete that lets it apply', () => {
    const state = (selector: Record<string, string>) => ({ immutable: immutableFieldsOf([deployment(selector, { 'helm.sh/chart': 'dify-0.9.1' })]) });
    expect(guardRailFindings(state({ a: '1' }), state({ a: '2' }), new Set())).toEqual([{
      setting: 'dify.chart', value: 'Deployment dify-api',
      reason: 'the API server refuses this change on the live object (field is immutable): Deployment dify-api (spec.selector): '
        + 'kubectl delete -n dify deployment/dify-api (its pods stop until the new ones start), then apply; add allowDestructive: [workloadReplaced] to mean it',
    }]);
    expect(guardRailFindings(state({ a: '1' }), state({ a: '2' }), new Set(['workloadReplaced']))).toEqual([]);
  });

  test('a StatefulSet\'s claim template cannot grow either: the claims are grown by hand and the set made again around its pods', () => {
    expect(findings({ dify: { storage: { type: 'minio', minio: { size: '20Gi' } } } }, { dify: { storage: { type: 'minio', minio: { size: '40Gi' } } } })).toEqual([{
      setting: 'dify', value: 'StatefulSet dify-minio',
      reason: 'the API server refuses this change on the live object (field is immutable): StatefulSet dify-minio (spec.volumeClaimTemplates): '
        + 'kubectl patch -n dify pvc data-dify-minio-0 -p \'{"spec":{"resources":{"requests":{"storage":"40Gi"}}}}\' (a claim template never resizes the claims it made; '
        + 'their StorageClass must allow expansion), then kubectl delete -n dify --cascade=orphan statefulset/dify-minio (its pods and claims stay), then apply; '
        + 'add allowDestructive: [workloadReplaced] to mean it',
    }]);
  });

  test('a claim cannot move to another StorageClass: its data stays behind, and synth says so', () => {
    expect(findings({ dify: { pluginStorage: { storageClass: 'standard' } } }, { dify: { pluginStorage: { storageClass: 'fast' } } })).toEqual([{
      setting: 'dify', value: 'PersistentVolumeClaim dify-plugin-storage',
      reason: expect.stringContaining('PersistentVolumeClaim dify-plugin-storage (spec.storageClassName): its data stays on the old volume; copy it out, then kubectl delete'),
    }]);
  });

  test('no supported Dify version, to the next, changes an immutable field', () => {
    const versions = Object.keys(DIFY_RELEASES).sort(compareVersions).filter((version) => version !== '0.6.11');
    for (const [from, to] of versions.slice(1).map((version, index) => [versions[index], version])) {
      expect([from, to, findings({ dify: { version: from } }, { dify: { version: to } })]).toEqual([from, to, []]);
    }
  });

  // Each is applied on and off in the cluster tier (upgrades.test.ts, immutable-fields.test.ts), which shows the API
  // server agrees: only the daemon's claim given a StorageClass (the cluster's default one was set on it) is refused.
  test.each(Object.entries(VARIATIONS).filter(([, props]) => !props.namespace && !props.kubeblocks?.releaseLine && !props.dify?.chart))(
    'switching %s on and off changes no immutable field but a claim\'s StorageClass', (_name, props) => {
      const expected = props.dify?.pluginStorage?.storageClass ? ['PersistentVolumeClaim dify-plugin-storage'] : [];
      expect(findings({}, props).map((finding) => finding.value)).toEqual(expected);
      expect(findings(props, {}).map((finding) => finding.value)).toEqual(expected);
    });
});

describeWithCommunityCharts('the chart tier move', describeWithHelm)('the native tier to the chart tier', () => {
  test.each([['the douban chart 0.9.1', CHART_0_9_1], ['BorisPolonsky\'s chart', BORIS_CHART]])('%s: each Deployment must be made again, and synth says which', (_name, chart) => {
    const found = findings({ ...chart, dify: { ...chart.dify, chart: undefined } }, chart);
    expect(found.map((finding) => finding.value)).toContain('Deployment dify-api');
    for (const finding of found) {
      expect(finding.setting).toBe('dify.chart');
      expect(finding.reason).toMatch(/^the API server refuses this change on the live object \(field is immutable\): Deployment [\w-]+ \(spec\.selector\): kubectl delete -n [\w-]+ deployment\/[\w-]+ /);
    }
  });
});
