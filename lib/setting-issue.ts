/**
 * A problem with one setting of a platform config, as each domain's rules find it (lib/kubeblocks/, lib/dify/,
 * lib/platform-rules.ts); lib/config/ turns it into an error line naming the file and the setting. A file of its own,
 * so that the domains and config share it without importing each other.
 */
export interface Issue {
  /** The setting, as keys and list indexes from the top of the config (`['dify', 'backendEnv', 2, 'name']`). */
  readonly path: readonly (string | number)[];
  /** The value as the error line shows it; a credential is `(hidden)`. */
  readonly input: unknown;
  readonly message: string;
}
