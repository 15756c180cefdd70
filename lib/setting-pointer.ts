/**
 * Where a refusal sends the user: "the platform sets X; to change it use <pointer>". A pointer names the settings of
 * the config file that decide the value, as dotted paths (`dify.host`), so a test can check that each one exists in
 * the config schema; a pointer that names none says why nothing should set it. A file of its own, as the native tier,
 * the chart tier and the values importer all refuse with them.
 */
export interface SettingPointer {
  /** The settings that decide the value, as dotted paths from the top of a config file; empty when nothing should. */
  readonly settings: readonly string[];
  /** What a refusal prints after "to change it use". */
  readonly text: string;
}

/** The settings that decide a value, and why when it helps: `dify.host and dify.tls`, `redis (the platform's ...)`. */
export function use(settings: string | readonly string[], why?: string): SettingPointer {
  const list = typeof settings === 'string' ? [settings] : [...settings];
  if (list.length === 0) throw new Error('a pointer to settings names at least one; use nothing(why) for none');
  const names = list.length === 1 ? list[0] : `${list.slice(0, -1).join(', ')} and ${list[list.length - 1]}`;
  return { settings: list, text: why ? `${names} (${why})` : names };
}

/** No setting decides it, and why: `nothing: the platform wires it to its own Service`. */
export function nothing(why: string): SettingPointer {
  return { settings: [], text: `nothing: ${why}` };
}
