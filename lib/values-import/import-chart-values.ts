import { importBorisValues } from './import-boris-values';
import { ImportedConfig, importValues, IMPORTABLE_CHARTS } from './import-values';

/** The config a chart's values file describes (`npm run import-values`), read as the named chart's values. */
export function importChartValues(values: Record<string, unknown>, chart: typeof IMPORTABLE_CHARTS[number]): ImportedConfig {
  return chart === 'boris' ? importBorisValues(values) : importValues(values);
}
