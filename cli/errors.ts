/** What the commands read from a thrown value: the library's errors are told apart by name, not class (they come from another bundle). */
export interface ThrownError extends Error {
  /** A file-system error's code (EACCES, ...). */
  readonly code?: string;
  /** A ChartProblem's value and what is allowed instead. */
  readonly value?: string;
  readonly allowed?: string;
}

/** A thrown value as an Error (anything else thrown is wrapped, so its text still says what). */
export function asError(thrown: unknown): ThrownError {
  return thrown instanceof Error ? thrown : new Error(String(thrown));
}

/** A message as the commands print one: the stack instead only when DEBUG asks for it. */
export function described(thrown: unknown): string {
  const error = asError(thrown);
  return process.env.DEBUG ? String(error.stack) : error.message;
}
