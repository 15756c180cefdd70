/**
 * Every optional feature switched on, applied for real: each platform of helpers/platforms.ts's VARIATIONS and
 * CHART_VARIATIONS (every setting in use, on both KubeBlocks release lines, the chart tier) is synthesized in-process
 * and applied to a real API server (helpers/cluster.ts) with its release line's CRDs, each in a namespace of its own;
 * a second apply changes nothing.
 */
import { DifyPlatformProps } from '../../lib';
import { platformYaml } from '../../main';
import { describeWithCluster } from '../helpers/cluster';
import { applyOk, controlPlaneWithCrds, changesOnReapply, createMissingNamespaces, crdFiles, manifestsOf, ReleaseLine, releaseLineOf, yamlFile } from '../helpers/cluster-apply';
import { COMMUNITY_CHART_FILES } from '../helpers/community-charts';
import { CHART_VARIATIONS, VARIATIONS } from '../helpers/platforms';
import { describeWithThirdParty, withThirdParty } from '../helpers/third-party';

const ALL: [string, DifyPlatformProps][] = [
  ...Object.entries(VARIATIONS),
  ...withThirdParty('the platforms that render a community chart', COMMUNITY_CHART_FILES, () => Object.entries(CHART_VARIATIONS())),
];
const lineOf = (props: DifyPlatformProps): ReleaseLine => (props.kubeblocks?.releaseLine === '0.9' ? '0.9' : '1.0');

describeWithCluster()('every optional feature, applied to a real API server', () => {
  for (const line of ['1.0', '0.9'] as ReleaseLine[]) {
    const platforms = ALL.filter(([, props]) => lineOf(props) === line).map(([name, props], i): [string, string] =>
      // Each in a namespace of its own, so one variation's objects are not an upgrade of another's.
      [name, platformYaml(`variation-${i}`, { ...props, namespace: `variation-${line.replace('.', '-')}-${i}`, createNamespace: true })]);

    describeWithThirdParty(`the CRDs of KubeBlocks ${line}`, ...crdFiles(line))(`on KubeBlocks ${line}'s CRDs`, () => {
      const cluster = controlPlaneWithCrds(line);

      it.each(platforms)('%s: applied, and a second apply changes nothing', (name, yaml) => {
        expect(releaseLineOf(yaml)).toBe(line);
        const file = yamlFile(cluster(), yaml, name);
        createMissingNamespaces(cluster(), yaml);
        expect(applyOk(cluster(), file).trim().split('\n')).toHaveLength(manifestsOf(yaml).length);
        expect(changesOnReapply(cluster(), file)).toEqual([]);
      });
    });
  }
});
