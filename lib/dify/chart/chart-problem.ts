/** A problem with the chart setting, for an error line: the setting, its value and what is allowed. */
export class ChartProblem extends Error {
  constructor(public readonly setting: string, public readonly value: unknown, public readonly allowed: string) {
    super(`${setting}: ${allowed}`);
    this.name = 'ChartProblem';
  }
}
