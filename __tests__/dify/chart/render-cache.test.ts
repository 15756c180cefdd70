import * as fs from 'fs';
import * as path from 'path';
import { CACHE_DIR, cachedRender, cacheRender, renderKey, treeDigest } from '../../../lib/dify/chart/render-cache';
import { copyOfChart } from '../../helpers/platforms';
import { describeWithCommunityCharts } from '../../helpers/community-charts';

describeWithCommunityCharts('the render cache tests')('the render cache', () => {
  const helm = process.env.DIFY_HELM ?? process.execPath;

  test('a render is found again only by the same chart files, helm binary and inputs', () => {
    const chart = copyOfChart('0.4.1');
    const inputs = { namespace: 'dify', values: { global: { host: 'a.example.com' } } };
    const key = renderKey(treeDigest(chart), helm, inputs);
    expect(renderKey(treeDigest(chart), helm, structuredClone(inputs))).toBe(key);
    expect(renderKey(treeDigest(chart), helm, { ...inputs, namespace: 'other' })).not.toBe(key);
    expect(renderKey(treeDigest(chart), process.execPath === helm ? __filename : process.execPath, inputs)).not.toBe(key);
    fs.appendFileSync(path.join(chart, 'templates', 'service.yaml'), '\n');
    expect(renderKey(treeDigest(chart), helm, inputs)).not.toBe(key);
    // A locked package is known by its digest alone.
    expect(renderKey('sha256:aa', helm, inputs)).not.toBe(renderKey('sha256:bb', helm, inputs));
  });

  test('what is kept is read back as written', () => {
    const key = `test-${process.pid}-${Date.now()}`;
    const objects = [{ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1' } }];
    expect(cachedRender(key)).toBeUndefined();
    cacheRender(key, objects);
    expect(cachedRender(key)).toEqual(objects);
    fs.rmSync(path.join(CACHE_DIR(), `${key}.json`));
  });
});
