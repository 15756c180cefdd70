/** Longest rendering of a bad value in an error line; the rest is cut so the message stays one line. */
const MAX_VALUE_LENGTH = 60;

/** Renders a config value the way the user wrote it, on one line. */
export function renderValue(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value) ?? String(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}...` : text;
}

/**
 * A configuration that cannot be synthesized. Its message is one line per problem:
 * `<source>: <setting>: <value> is not allowed: <what is allowed>`.
 */
export class ConfigError extends Error {
  constructor(public readonly problems: readonly string[]) {
    super(problems.join('\n'));
    this.name = 'ConfigError';
  }

  /** One problem with one setting. */
  static forSetting(source: string, setting: string, value: unknown, allowed: string): ConfigError {
    return new ConfigError([formatProblem(source, setting, value, allowed)]);
  }
}

export function formatProblem(source: string, setting: string, value: unknown, allowed: string): string {
  return `${source}: ${setting || '(top level)'}: ${renderValue(value)} is not allowed: ${allowed}`;
}
