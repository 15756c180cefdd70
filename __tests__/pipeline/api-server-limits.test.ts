import { apiServerLimitProblems } from '../../lib/pipeline/api-server-limits';
import { synthPlatform } from '../helpers/synth';

describe('what the API server refuses that no schema says', () => {
  test('a name longer than its kind takes, a label value over 63 characters, annotations over 256 KiB: one line each', () => {
    const big = { 'example.com/big': 'x'.repeat(256 * 1024) };
    expect(apiServerLimitProblems([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's'.repeat(64) } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c'.repeat(254) } },
      { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'labelled', labels: { 'example.com/team': 'v'.repeat(64) } } },
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'api', annotations: big }, spec: { template: { metadata: { annotations: big } } } },
      { apiVersion: 'batch/v1', kind: 'CronJob', metadata: { name: 'nightly' }, spec: { jobTemplate: { spec: { template: { metadata: { labels: { tier: 'w'.repeat(70) } } } } } } },
    ] as any)).toEqual([
      'Service ssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssssss: its name is 64 characters; a Service takes at most 63',
      `ConfigMap ${'c'.repeat(80)}...: its name is 254 characters; a ConfigMap takes at most 253`,
      'ConfigMap labelled: label example.com/team is 64 characters; a label value takes at most 63',
      'Deployment api: its annotations are 262159 bytes; Kubernetes takes at most 262144 in all',
      'Deployment api (its pods): its annotations are 262159 bytes; Kubernetes takes at most 262144 in all',
      'CronJob nightly (its pods): label tier is 70 characters; a label value takes at most 63',
    ]);
  });

  test('the platform\'s own objects are within them', () => {
    expect(apiServerLimitProblems(synthPlatform())).toEqual([]);
  });
});
