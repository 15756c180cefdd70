import { ApiObject, Chart } from 'cdk8s';
import { Construct } from 'constructs';
import { ConfigError, formatProblem } from '../../config/config-error';
import { applyComponentPolicies } from '../components/component-policies';
import { appFoundation, DifyAppProps } from '../dify-app';
import { ChartMetadata, ChartProblem } from './chart-source';
import { renderChart } from './chart-render';
import { hardenObjects } from './harden';
import { chartPolicyFor, policyViolations } from './chart-policy';
import { componentsTheChartLacks, componentsTheVersionLacks, hardeningRules } from './hardening-rules';
import { ChartFamily, chartFamilyOf } from './chart-family';
import { DifyContext } from '../dify-context';
import { DifyIngress } from '../routing/dify-ingress';
import { dataMigrationJobs } from '../jobs/data-migration-job';
import { unreplacedChartSecrets } from './boris-objects';

export interface DifyChartAppProps extends DifyAppProps {
  /** Where a relative `dify.chart.path` starts. @default - the working directory */
  readonly baseDir?: string;
}

/**
 * The app tier rendered from a community Dify chart (`dify.chart`): the platform's Secret, database Job, file storage
 * and migration Job as in the native tier, and the chart's objects rendered by helm (helm-run.ts) with the platform's
 * values (chart-values.ts, boris-values.ts: chart-family.ts says whose chart it is), laid out the platform's way,
 * checked to hold the app, then hardened (harden.ts).
 */
export class DifyChartApp extends Construct {
  /** The chart that was rendered, as its Chart.yaml names it. */
  public readonly chart: ChartMetadata;

  constructor(scope: Construct, id: string, props: DifyChartAppProps) {
    super(scope, id);
    const ctx = appFoundation(this, props);
    const { chart, objects: rendered } = this.guarded(props, () => renderChart(ctx, props.baseDir ?? process.cwd()));
    this.chart = chart;
    const settings = props.config.settings.chart!;
    const family = chartFamilyOf(settings);
    const { objects, replacedSecrets } = family.layOut(rendered, ctx.namespace);
    // The chart's output is input: what it may render is decided before anything of it is used.
    this.guarded(props, () => {
      const taken = this.platformObjectNames();
      const clashing = objects.filter((object) => taken.has(`${object.kind}/${object.metadata?.name}`))
        .map((object) => `${object.kind} ${object.metadata.name}: the platform writes an object of that kind and name itself; a chart's would replace it`);
      const refused = [...policyViolations(objects, chartPolicyFor(ctx.namespace, settings.values ?? {})), ...clashing];
      if (refused.length > 0) throw new Error(refused.join('\n'));
    });
    this.requireComponents(props, ctx, objects, family, chart);
    const hardened = this.guarded(props, () => {
      const safe = hardenObjects(objects, hardeningRules(ctx, objects, family.conventions));
      const unreplaced = unreplacedChartSecrets(safe, replacedSecrets);
      if (unreplaced.length > 0) throw new Error(unreplaced.join('\n'));
      return safe;
    });
    for (const object of hardened) new ApiObject(this, `${object.kind}-${object.metadata.name}`, object as never);
    if (!family.chartIngress && ctx.config.ingress) new DifyIngress(this, 'Ingress', { namespace: ctx.namespace, config: ctx.config });
    // As on the native tier: the version's one-off data migrations (the plugin backfill once the chart's daemon is up).
    dataMigrationJobs(this, ctx);
    // The platform's own Jobs take dify.imagePullSecrets and imagePullPolicy like the native tier's.
    applyComponentPolicies(this, props.config.settings, props.source);
  }

  /** `Kind/name` of every object the platform itself writes so far (its clusters, Secrets, Jobs, policies). */
  private platformObjectNames(): Set<string> {
    return new Set(Chart.of(this).node.findAll().filter((node): node is ApiObject => node instanceof ApiObject)
      .map((object) => `${object.kind}/${object.name}`));
  }

  /**
   * The chart must run every component the Dify version runs (else the platform would ship without its app, with
   * exit 0), and none it has not (its pods would never be ready).
   */
  private requireComponents(props: DifyChartAppProps, ctx: DifyContext, objects: readonly Record<string, any>[], family: ChartFamily,
    chart: ChartMetadata): void {
    const version = ctx.config.features.version;
    const missing = componentsTheChartLacks(ctx, objects, family.conventions);
    if (missing.length > 0) {
      throw ConfigError.forSetting(props.source, 'dify.chart', props.config.settings.chart?.path ?? `${chart.name} ${chart.version}`,
        `the chart renders no Deployment for ${missing.join(', ')}: Dify ${version} would not run; use a Dify chart that renders them`
        + ` (read as a ${family.name} chart: set dify.chart.family if it is another family's)`);
    }
    const lacking = componentsTheVersionLacks(ctx, objects, family.conventions);
    if (lacking.length > 0) {
      throw ConfigError.forSetting(props.source, 'dify.version', version,
        `the chart ${chart.name} ${chart.version} runs ${lacking.join(' and ')}, which Dify ${version} has not: `
        + 'use a chart made for this version, or a version the chart is made for');
    }
  }

  /** Runs a step of rendering, turning its problems into the config's error lines. */
  private guarded<T>(props: DifyChartAppProps, step: () => T): T {
    try {
      return step();
    } catch (error) {
      if (error instanceof ChartProblem) throw new ConfigError([formatProblem(props.source, error.setting, error.value, error.allowed)]);
      const chart = props.config.settings.chart;
      const given = chart?.path ?? `${chart?.repo} ${chart?.name} ${chart?.version}`;
      const lines = (error as Error).message.trim().split('\n').filter(Boolean);
      throw new ConfigError(lines.map((line) => formatProblem(props.source, 'dify.chart', given, line.replace(/^Error: /, 'helm: '))));
    }
  }
}
