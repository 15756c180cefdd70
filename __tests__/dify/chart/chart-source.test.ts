import * as fs from 'fs';
import * as path from 'path';
import { loadAll } from 'js-yaml';
import { findHelm, prepareChart } from '../../../lib/dify/chart/chart-source';
import { borisChart, copyOfChart } from '../../helpers/platforms';
import { describeWithCommunityCharts } from '../../helpers/community-charts';
import { chartFamilyOf } from '../../../lib/dify/chart/chart-family';
import { tempDir } from '../../helpers/pipeline';

describeWithCommunityCharts('the chart copy tests')('the chart copy that is rendered', () => {
  test('drops the subcharts the platform replaces from Chart.yaml, the lock and charts/, and leaves the source as it was', () => {
    const source = copyOfChart('0.9.1');
    fs.mkdirSync(path.join(source, 'charts'));
    fs.writeFileSync(path.join(source, 'charts', 'redis-19.1.1.tgz'), 'vendored');
    fs.writeFileSync(path.join(source, 'charts', 'other-1.0.0.tgz'), 'kept');
    const before = fs.readFileSync(path.join(source, 'Chart.yaml'), 'utf8');

    const prepared = prepareChart({ folder: source }, ['redis', 'postgresql', 'minio']);
    try {
      const chartYaml = loadAll(fs.readFileSync(path.join(prepared.dir, 'Chart.yaml'), 'utf8'))[0] as Record<string, unknown>;
      expect(chartYaml.dependencies).toBeUndefined();
      expect(prepared).toMatchObject({ name: 'dify', version: '0.9.1', appVersion: '1.13.3', dropped: ['redis', 'postgresql', 'minio'] });
      expect(fs.existsSync(path.join(prepared.dir, 'Chart.lock'))).toBe(false);
      expect(fs.readdirSync(path.join(prepared.dir, 'charts'))).toEqual(['other-1.0.0.tgz']);
    } finally {
      prepared.dispose();
    }
    expect(fs.existsSync(prepared.dir)).toBe(false);
    expect(fs.readFileSync(path.join(source, 'Chart.yaml'), 'utf8')).toBe(before);
    expect(fs.readdirSync(path.join(source, 'charts')).sort()).toEqual(['other-1.0.0.tgz', 'redis-19.1.1.tgz']);
  });

  test('drops what the chart\'s family replaces: BorisPolonsky\'s Weaviate as well as its databases', () => {
    const prepared = prepareChart({ folder: borisChart() }, chartFamilyOf({ family: 'boris' }).replacedDependencies);
    try {
      expect(prepared).toMatchObject({ name: 'dify', version: '0.38.0-rc2', appVersion: '1.16.1', dropped: ['postgresql', 'redis', 'weaviate'] });
    } finally {
      prepared.dispose();
    }
  });
});

describe('finding helm', () => {
  const executable = () => {
    const dir = tempDir('bin-');
    fs.writeFileSync(path.join(dir, 'helm'), '#!/bin/sh\n', { mode: 0o755 });
    return dir;
  };

  test('DIFY_HELM wins over the PATH, and the PATH is searched in order', () => {
    const first = executable();
    const second = executable();
    expect(findHelm({ PATH: [first, second].join(path.delimiter) })).toBe(path.join(first, 'helm'));
    expect(findHelm({ PATH: first, DIFY_HELM: path.join(second, 'helm') })).toBe(path.join(second, 'helm'));
  });

  test('a file named helm that cannot be run is no helm', () => {
    const dir = tempDir('bin-');
    fs.writeFileSync(path.join(dir, 'helm'), 'not a program', { mode: 0o644 });
    expect(() => findHelm({ PATH: dir })).toThrow(/there is none on the PATH/);
  });
});
