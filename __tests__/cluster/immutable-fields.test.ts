/**
 * The guard rail workloadReplaced (lib/guard-rails/workload-state.ts) against the real API server: a change it
 * refuses is one the API server refuses too (field is immutable), a change it lets through applies, and the
 * kubectl commands its refusal gives make the change apply, after which applying again changes nothing.
 *
 * The cluster has what a managed one has: a default StorageClass that allows expansion, and volumes for the claims
 * to bind to (the persistent-volume controller binds them; a Pending claim could not be grown).
 */
import { DifyPlatformProps, Finding, guardRailFindings, platformState } from '../../lib';
import { platformYaml } from '../../main';
import { describeWithCluster, ControlPlane } from '../helpers/cluster';
import { apply, applyOk, changesOnReapply, controlPlaneWithCrds, crdFiles, manifestsOf, yamlFile } from '../helpers/cluster-apply';
import { COMMUNITY_CHART_FILES } from '../helpers/community-charts';
import { BORIS_CHART, CHART_0_9_1, VARIATIONS } from '../helpers/platforms';
import { describeWithThirdParty, withThirdParty } from '../helpers/third-party';

const STORAGE = `apiVersion: storage.k8s.io/v1
kind: StorageClass
metadata: { name: standard, annotations: { storageclass.kubernetes.io/is-default-class: "true" } }
provisioner: kubernetes.io/no-provisioner
allowVolumeExpansion: true
volumeBindingMode: Immediate
${Array.from({ length: 40 }, (_, index) => `---
apiVersion: v1
kind: PersistentVolume
metadata: { name: volume-${index} }
spec: { storageClassName: standard, capacity: { storage: 100Gi }, accessModes: [ReadWriteOnce], hostPath: { path: /tmp/volume-${index} } }
`).join('')}`;

/** The words of a shell command as the refusal writes it: words, and single-quoted JSON. */
const words = (command: string): string[] => [...command.matchAll(/'([^']*)'|(\S+)/g)].map((match) => match[1] ?? match[2]);

/** The kubectl commands of a workloadReplaced refusal, in order, without their explanations in brackets. */
function remedy(finding: Finding): string[][] {
  const steps = finding.reason.replace(/^.*?\(field is immutable\): [^:]+: /, '').replace(/, then apply;.*$/, '').split(', then ');
  return steps.filter((step) => step.startsWith('kubectl ')).map((step) => words(step.replace(/ \([^()]*\)$/, '')).slice(1));
}

const withoutChart = (props: DifyPlatformProps): DifyPlatformProps => ({ ...props, dify: { ...props.dify, chart: undefined } });
const CASES = (): [string, DifyPlatformProps, DifyPlatformProps][] => [
  ['the embedded MinIO grown', { dify: { storage: { type: 'minio', minio: { size: '20Gi' } } } }, { dify: { storage: { type: 'minio', minio: { size: '40Gi' } } } }],
  ['the plugin daemon\'s volume given another StorageClass', { dify: { pluginStorage: { storageClass: 'standard' } } }, { dify: { pluginStorage: { storageClass: 'fast' } } }],
  ['the plugin daemon\'s volume grown', {}, { dify: { pluginStorage: { size: '20Gi' } } }],
  // The one variation that changes an immutable field (a StorageClass for the daemon's claim); the others apply as
  // toggles in upgrades.test.ts.
  ['every Dify option on', {}, VARIATIONS['every Dify option']],
  ['every Dify option off', VARIATIONS['every Dify option'], {}],
  ...withThirdParty('the chart tier moves', COMMUNITY_CHART_FILES, () => [
    ['the native tier to the douban chart 0.9.1', withoutChart(CHART_0_9_1), CHART_0_9_1] as [string, DifyPlatformProps, DifyPlatformProps],
    ['the native tier to BorisPolonsky\'s chart', withoutChart(BORIS_CHART), BORIS_CHART] as [string, DifyPlatformProps, DifyPlatformProps],
  ]),
];

describeWithCluster()('changes of immutable fields on a real API server', () => {
  describeWithThirdParty('the CRDs of KubeBlocks 1.0', ...crdFiles('1.0'))('the guard rail workloadReplaced', () => {
    const cluster = controlPlaneWithCrds('1.0');
    let namespaces = 0;
    beforeAll(() => applyOk(cluster(), yamlFile(cluster(), STORAGE, 'storage')));

    const inNamespace = (namespace: string, props: DifyPlatformProps): DifyPlatformProps => ({ ...props, namespace, createNamespace: true });
    const run = (control: ControlPlane, args: string[]) => control.kubectl(args);

    it.each(CASES())('%s: refused by both or by neither, and the refusal\'s commands make it apply', (_name, before, after) => {
      const namespace = `immutable-${++namespaces}`;
      const [first, second] = [platformYaml('immutable', inNamespace(namespace, before)), platformYaml('immutable', inNamespace(namespace, after))];
      const findings = guardRailFindings(platformState(manifestsOf(first) as any), platformState(manifestsOf(second) as any), new Set())
        .filter((finding) => finding.reason.includes('[workloadReplaced]'));
      applyOk(cluster(), yamlFile(cluster(), first, 'before'));
      const file = yamlFile(cluster(), second, 'after');
      const result = apply(cluster(), file);
      if (findings.length === 0) {
        expect(result.stderr).toBe('');
        expect(result.status).toBe(0);
        return;
      }
      expect(result.status).not.toBe(0);
      expect(result.stderr).toMatch(/is immutable|Forbidden: updates to statefulset spec/);
      for (const finding of findings) {
        for (const command of remedy(finding)) {
          const done = run(cluster(), command);
          expect([command.join(' '), done.status, done.stderr]).toEqual([command.join(' '), 0, '']);
        }
      }
      applyOk(cluster(), file);
      expect(changesOnReapply(cluster(), file)).toEqual([]);
    });
  });
});
