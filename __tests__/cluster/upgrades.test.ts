/**
 * Every upgrade a user can make, applied over the previous version on a real API server (helpers/cluster.ts) with
 * `kubectl apply` for real, server-side and client-side (the README's `kubectl apply -f`): each supported Dify
 * version to the next, each optional feature switched on and off again (the settings of helpers/platforms.ts's
 * VARIATIONS on KubeBlocks 1.0). None may fail, in particular with 'field is immutable'. The native app tier to the
 * chart tier is a change the API server refuses: the guard rail workloadReplaced says so first, and
 * immutable-fields.test.ts applies it with the rail's commands. Each chain runs in a namespace of its own.
 */
import { compareVersions, DIFY_RELEASES, DifyPlatformProps, guardRailFindings, ObjectLike, platformState, PlatformState } from '../../lib';
import { platformYaml } from '../../main';
import { describeWithCluster } from '../helpers/cluster';
import { apply, ApplyMode, changesOnReapply, controlPlaneWithCrds, createMissingNamespaces, crdFiles, manifestsOf, releaseLineOf, yamlFile } from '../helpers/cluster-apply';
import { VARIATIONS } from '../helpers/platforms';
import { describeWithThirdParty } from '../helpers/third-party';

const VERSIONS = Object.keys(DIFY_RELEASES).sort(compareVersions);

/** What the API server refused, one line per object ('Deployment.apps "dify-api" is invalid: ...'), without kubectl's patch dump. */
function refusals(stderr: string): string {
  const lines = [...stderr.matchAll(/([\w.]+ "[^"]+" is (?:invalid|forbidden): [^\n]*)/g)].map((match) => match[1]);
  return lines.length > 0 ? lines.join('\n') : stderr.trim().slice(-2000);
}

/** The props in a namespace of the chain's own. */
const inNamespace = (namespace: string, props: DifyPlatformProps): DifyPlatformProps => ({ ...props, namespace, createNamespace: true });

/** The toggles: a variation that switches features on, over the defaults and back (those that move the namespace or the release line are no upgrade). */
const TOGGLES = Object.entries(VARIATIONS).filter(([, props]) => !props.namespace && !props.kubeblocks?.releaseLine);

describeWithCluster()('upgrades applied over the previous version on a real API server', () => {
  describeWithThirdParty('the CRDs of KubeBlocks 1.0', ...crdFiles('1.0'))('on KubeBlocks 1.0', () => {
    const cluster = controlPlaneWithCrds('1.0');
    let chains = 0;

    /**
     * Applies each step over the last one applied; returns the failures, by step. A step that synth's guard rails
     * refuse (helpers in lib/guard-rails: a volume that would shrink, a downgrade, another file store...) is applied
     * too, as a user who lists the rule in allowDestructive would; if the API server refuses it as well, that is what
     * the guard rail is for, and the chain goes on from the last step applied.
     */
    function applyChain(mode: ApplyMode, steps: [string, DifyPlatformProps][]): string[] {
      const namespace = `chain-${++chains}`;
      const failures: string[] = [];
      let current: PlatformState | undefined;
      let last: DifyPlatformProps | undefined;
      for (const [label, props] of steps) {
        const yaml = platformYaml('chain', inNamespace(namespace, props));
        expect(releaseLineOf(yaml)).toBe('1.0');
        const next = platformState(manifestsOf(yaml) as ObjectLike[]);
        const guarded = current ? guardRailFindings(current, next, new Set()) : [];
        const file = yamlFile(cluster(), yaml, label);
        createMissingNamespaces(cluster(), yaml);
        const result = apply(cluster(), file, mode);
        if (result.status === 0) {
          current = next;
          last = props;
        } else if (guarded.length === 0) {
          failures.push(`${label}: ${refusals(result.stderr)}`);
        }
      }
      // Where a user stays: applying it again changes nothing.
      if (failures.length === 0 && last) {
        const changes = changesOnReapply(cluster(), yamlFile(cluster(), platformYaml('chain', inNamespace(namespace, last)), 'again'), mode);
        failures.push(...changes.map((change) => `applied again: ${change}`));
      }
      return failures;
    }

    for (const mode of ['server-side', 'client-side'] as ApplyMode[]) {
      describe(`kubectl apply ${mode}`, () => {
        it(`each supported Dify version to the next (${VERSIONS.join(' -> ')})`, () => {
          expect(applyChain(mode, VERSIONS.map((version) => [`Dify ${version}`, { dify: { version } }]))).toEqual([]);
        });

        it.each(TOGGLES)('%s: on, then off again', (name, props) => {
          expect(applyChain(mode, [['the defaults', {}], [name, props], ['the defaults again', {}]])).toEqual([]);
        });
      });
    }
  });
});
