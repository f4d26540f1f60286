import { LOCAL_RUNTIMES, parseSection, type SectionValues } from '../settings';

// Settings of the local model (nocodo.localModel.*): which .gguf, which runtime serves it, when
// the embedded runtime stops. Their schema is in src/settings; read by the host.

export { LOCAL_RUNTIMES };
export type LocalRuntimeChoice = (typeof LOCAL_RUNTIMES)[number];
export type LocalModelSettings = SectionValues<'localModel'>;

export interface ResolvedLocalModel {
  /** Empty: no local model chosen. */
  path: string;
  runtime: LocalRuntimeChoice;
  idleStopMs: number;
  /** Undefined: the runtime picks (all cores but one). */
  threads: number | undefined;
  problems: string[];
}

/** Never throws: an invalid value is reported and its default used. */
export function resolveLocalModelSettings(raw: Record<string, unknown>): ResolvedLocalModel {
  const { values: s, problems } = parseSection('localModel', raw);
  return { path: s.path, runtime: s.runtime, idleStopMs: Math.round(s.idleStopMinutes * 60_000), threads: s.threads || undefined, problems };
}
