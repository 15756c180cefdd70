/**
 * The community Dify charts the chart tier knows, as families: the douban charts (0.4.x to 0.9.x) and
 * BorisPolonsky's `dify-helm`. Both are named `dify`, but their values, labels and way of handing env to the
 * containers differ, so each family says how the platform's values are written for it, what its values may not set,
 * and how its rendered objects are laid out before the policy and hardening (which are the same for both).
 */
import { DifyContext } from '../dify-context';
import { DifyChartSettings } from '../dify-settings';
import { SettingPointer } from '../../setting-pointer';
import {
  CREDENTIAL_VALUES, ENV_LISTS, JOINED_LISTS, PLATFORM_OWNED_VALUES, platformValues, Values,
} from './chart-values';
import { BORIS_CREDENTIAL_VALUES, BORIS_ENV_LISTS, BORIS_JOINED_LISTS, BORIS_OWNED_VALUES, borisPlatformValues } from './boris-values';
import { layOutBorisObjects, LaidOutObjects } from './boris-objects';
import { BORIS_CONVENTIONS, ChartConventions, DOUBAN_CONVENTIONS } from './hardening-rules';

export const CHART_FAMILIES = ['douban', 'boris'] as const;

export type ChartFamilyName = typeof CHART_FAMILIES[number];

export interface ChartFamily {
  readonly name: ChartFamilyName;
  /** The subcharts the platform replaces (its databases and stores), dropped from the chart before rendering. */
  readonly replacedDependencies: readonly string[];
  /** Values the platform decides, each with the setting to change instead; `dify.chart.values` may not set them. */
  readonly ownedValues: ReadonlyArray<readonly [string, SettingPointer]>;
  /** Lists both the platform and the user add to. */
  readonly joinedLists: readonly string[];
  /** The environment lists of the values, checked like `dify.backendEnv`. */
  readonly envLists: readonly string[];
  /** Values that hold a credential; refused when given. */
  readonly credentialValues: readonly string[];
  /** Its component names where they differ, and what its objects hand programs that is not theirs. */
  readonly conventions: ChartConventions;
  /**
   * Whether the chart's own Ingress serves Dify (douban: one path per component). BorisPolonsky's sends everything to
   * an nginx of its own instead, so the platform's Ingress routes to the chart's Services, which carry the native names.
   */
  readonly chartIngress: boolean;
  platformValues(ctx: DifyContext): Values;
  /** The rendered objects laid out as the platform reads a chart (component labels, env in the containers). */
  /** The render laid out the platform's way; `namespace` is the platform's (what is elsewhere is left to the policy). */
  layOut(objects: readonly Record<string, any>[], namespace: string): LaidOutObjects;
}

const DOUBAN: ChartFamily = {
  name: 'douban',
  replacedDependencies: ['redis', 'postgresql', 'minio'],
  ownedValues: PLATFORM_OWNED_VALUES,
  joinedLists: JOINED_LISTS,
  envLists: ENV_LISTS,
  credentialValues: CREDENTIAL_VALUES,
  conventions: DOUBAN_CONVENTIONS,
  chartIngress: true,
  platformValues,
  // The douban charts already label components the platform's way and give env as values.
  layOut: (objects) => ({ objects: [...objects], replacedSecrets: new Set() }),
};

const BORIS: ChartFamily = {
  name: 'boris',
  replacedDependencies: ['redis', 'postgresql', 'weaviate'],
  ownedValues: BORIS_OWNED_VALUES,
  joinedLists: BORIS_JOINED_LISTS,
  envLists: BORIS_ENV_LISTS,
  credentialValues: BORIS_CREDENTIAL_VALUES,
  conventions: BORIS_CONVENTIONS,
  chartIngress: false,
  platformValues: borisPlatformValues,
  layOut: layOutBorisObjects,
};

/** The repository BorisPolonsky publishes `dify-helm` at (its README's `helm repo add`). */
export const BORIS_REPOSITORY = 'https://borispolonsky.github.io/dify-helm';

/**
 * The family of the chart a config names: `dify.chart.family` when given, else BorisPolonsky's for a chart from
 * its repository, else douban's (the chart the seed installs).
 */
export function chartFamilyOf(settings: Pick<DifyChartSettings, 'family' | 'repo'>): ChartFamily {
  const name = settings.family ?? (settings.repo?.replace(/\/+$/, '').toLowerCase() === BORIS_REPOSITORY ? 'boris' : 'douban');
  return name === 'boris' ? BORIS : DOUBAN;
}
