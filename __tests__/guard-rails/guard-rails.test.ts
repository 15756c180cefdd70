import { guardRailFindings, platformState } from '../../lib';
import { synthPlatform } from '../helpers/synth';

const stateOf = (version: string) => platformState(synthPlatform({ dify: { version } }));

describe('the Dify downgrade rule', () => {
  test('reads the version the platform\'s Dify objects carry', () => {
    expect(stateOf('1.15.0')).toEqual({ difyVersion: '1.15.0' });
    expect(platformState([{ kind: 'Namespace', metadata: { name: 'dify' } }])).toEqual({ difyVersion: undefined });
  });

  test('refuses a version older than the one running, naming the setting and how to go through on purpose', () => {
    expect(guardRailFindings(stateOf('1.16.1'), stateOf('1.14.2'), new Set())).toEqual([{
      setting: 'dify.version', value: '1.14.2',
      reason: expect.stringMatching(/runs Dify 1\.16\.1 now, and Dify's schema migrations cannot be rolled back; .* add allowDestructive: \[difyDowngrade\]$/),
    }]);
  });

  test('lets upgrades, the same version and a first synth through', () => {
    expect(guardRailFindings(stateOf('1.14.2'), stateOf('1.16.1'), new Set())).toEqual([]);
    expect(guardRailFindings(stateOf('1.16.1'), stateOf('1.16.1'), new Set())).toEqual([]);
    expect(guardRailFindings({}, stateOf('0.6.11'), new Set())).toEqual([]);
  });

  test('lets a downgrade through when the config lists the rule, or for --allow-destructive', () => {
    expect(guardRailFindings(stateOf('1.16.1'), stateOf('1.13.3'), new Set(['difyDowngrade']))).toEqual([]);
    expect(guardRailFindings(stateOf('1.16.1'), stateOf('1.13.3'), 'all')).toEqual([]);
  });
});
