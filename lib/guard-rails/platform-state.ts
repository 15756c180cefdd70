/**
 * What the guard rails compare: the facts about a platform that a change can make dangerous, read from its
 * synthesized objects (so the platform file in dist/ and the one about to replace it are read the same way).
 */

/** A synthesized object, as much of it as the rules read. */
export interface ObjectLike {
  readonly apiVersion?: string;
  readonly kind?: string;
  readonly metadata?: { readonly name?: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>> };
}

export interface PlatformState {
  /** The Dify version the platform's Dify objects carry, if it has any. */
  readonly difyVersion?: string;
}

/** The facts of one platform's objects. */
export function platformState(objects: readonly ObjectLike[]): PlatformState {
  const dify = objects.find((object) => object.metadata?.labels?.['app.kubernetes.io/part-of'] === 'dify'
    && object.metadata.labels['app.kubernetes.io/version'] !== undefined);
  return { difyVersion: dify?.metadata?.labels?.['app.kubernetes.io/version'] };
}
