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

/** What happens with a model just chosen (Choose Local Model), given which runtime the settings name. */
export function chosenModelNote(runtime: LocalRuntimeChoice): string {
  switch (runtime) {
    case 'llama-server':
      return 'nocodo.localModel.runtime is "llama-server", so nocodo will not serve it itself; set it to "auto" or "embedded" to use the embedded runtime.';
    case 'embedded':
      return 'The embedded runtime serves it from the next request on.';
    default:
      return 'When nothing answers at nocodo.llm.baseUrl, the embedded runtime serves it.';
  }
}

/** Never throws: an invalid value is reported and its default used. */
export function resolveLocalModelSettings(raw: Record<string, unknown>): ResolvedLocalModel {
  const { values: s, problems } = parseSection('localModel', raw);
  return { path: s.path, runtime: s.runtime, idleStopMs: Math.round(s.idleStopMinutes * 60_000), threads: s.threads || undefined, problems };
}
