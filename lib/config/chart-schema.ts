/** `dify.chart`: a community chart as the app tier, named by a folder or by repository, name and exact version. */
import { z } from 'zod';
import { CHART_FAMILIES } from '../dify/chart/chart-family';
import { section, url } from './schema-parts';

/** A chart version as `helm` pins it: exact, no range. */
const CHART_VERSION = /^v?\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?(\+[0-9A-Za-z.-]+)?$/;

export const chartSection = section({
  family: z.enum(CHART_FAMILIES, { error: `must be one of ${CHART_FAMILIES.join(', ')}: whose chart it is` }).optional(),
  path: z.string({ error: 'must be the path of a chart folder' }).min(1, { error: 'must be the path of a chart folder' }).optional(),
  repo: url(/^(https?|oci):\/\/[^\s]+$/, 'must be a chart repository URL: https://... or oci://...').optional(),
  name: z.string({ error: 'must be a chart name' }).regex(/^[a-z0-9]([a-z0-9._-]*[a-z0-9])?$/, { error: 'must be a chart name such as dify' }).optional(),
  version: z.string({ error: 'must be an exact chart version such as 0.9.1' }).regex(CHART_VERSION, {
    error: 'must be an exact chart version such as 0.9.1 (a range would render whatever the repository serves next)',
  }).optional(),
  values: z.record(z.string(), z.unknown(), { error: 'must be a mapping of the chart\'s values' }).optional(),
}).superRefine((chart, ctx) => {
  const fromRepo = chart.repo !== undefined || chart.name !== undefined || chart.version !== undefined;
  if (chart.path !== undefined && fromRepo) {
    ctx.addIssue({ code: 'custom', path: ['path'], input: chart.path, message: 'is one way to name the chart and repo, name, version another: give one of them' });
  } else if (chart.path === undefined && !fromRepo) {
    ctx.addIssue({ code: 'custom', path: ['path'], input: undefined, message: 'a chart is named by path (a chart folder), or by repo, name and an exact version' });
  } else if (chart.path === undefined) {
    for (const key of ['repo', 'name', 'version'] as const) {
      if (chart[key] === undefined) {
        ctx.addIssue({ code: 'custom', path: [key], input: undefined, message: 'a repository chart needs repo, name and an exact version' });
      }
    }
  }
});
