/** Kubernetes resource quantities (`500m`, `2Gi`): read by the config schema, the domains' rules, the guard rails. */
/** The pattern the KubeBlocks and Kubernetes schemas give resource quantities. */
export const QUANTITY = /^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$/;

/** Multipliers of Kubernetes quantity suffixes (binary and decimal). */
const SUFFIXES: Readonly<Record<string, number>> = {
  '': 1, n: 1e-9, u: 1e-6, m: 1e-3, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18,
  Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60,
};

/** The value of a quantity the schema already accepted (`500m` -> 0.5, `2Gi` -> 2147483648), for comparisons. */
export function quantityValue(quantity: string): number {
  if (!QUANTITY.test(quantity)) throw new Error(`not a quantity: ${quantity}`);
  const [, number, suffix] = /^([+-]?[0-9.]+)(.*)$/.exec(quantity)!;
  // What follows the number is a suffix, or an exponent such as e3.
  return suffix in SUFFIXES ? Number(number) * SUFFIXES[suffix] : Number(quantity);
}
