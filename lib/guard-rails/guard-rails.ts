/**
 * Guard rails: before synth replaces a platform's file in dist/, each rule compares what the file describes now
 * with what is about to replace it, and refuses a change that loses data or cannot be applied. A reviewed change
 * goes through when the config lists the rule in `allowDestructive` (or synth runs with `--allow-destructive`).
 * Every rule is one entry of {@link GUARD_RULES}: a name, what it protects, and its check.
 */
import { compareVersions } from '../dify/features';
import { PlatformState } from './platform-state';

/** One refusal: the setting that made it, its new value, and why. */
export interface Finding {
  readonly setting: string;
  readonly value: unknown;
  readonly reason: string;
}

export interface GuardRule {
  /** What `allowDestructive` lists to let such a change through. */
  readonly id: GuardRuleId;
  readonly check: (previous: PlatformState, next: PlatformState) => Finding[];
}

export const GUARD_RULE_IDS = ['difyDowngrade'] as const;
export type GuardRuleId = (typeof GUARD_RULE_IDS)[number];

/** Dify's migrations go forward only: an older version on a newer schema fails, and its own migration cannot undo. */
const difyDowngrade: GuardRule = {
  id: 'difyDowngrade',
  check: (previous, next) => (previous.difyVersion && next.difyVersion && compareVersions(next.difyVersion, previous.difyVersion) < 0
    ? [{ setting: 'dify.version', value: next.difyVersion,
      reason: `the platform runs Dify ${previous.difyVersion} now, and Dify's schema migrations cannot be rolled back; to go back on purpose `
        + `(after restoring a database backup taken on ${next.difyVersion}), add allowDestructive: [difyDowngrade]` }]
    : []),
};

export const GUARD_RULES: readonly GuardRule[] = [difyDowngrade];

/** The findings of every rule that is not allowed. */
export function guardRailFindings(previous: PlatformState, next: PlatformState, allowed: ReadonlySet<GuardRuleId> | 'all'): Finding[] {
  if (allowed === 'all') return [];
  return GUARD_RULES.filter((rule) => !allowed.has(rule.id)).flatMap((rule) => rule.check(previous, next));
}
