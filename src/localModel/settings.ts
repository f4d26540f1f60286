import { z } from 'zod';

// Settings of the local model (nocodo.localModel.*): which .gguf, which runtime serves it, when
// the embedded runtime stops. Validated here, read by the host.

export const LOCAL_RUNTIMES = ['auto', 'llama-server', 'embedded'] as const;
export type LocalRuntimeChoice = (typeof LOCAL_RUNTIMES)[number];

export const LocalModelSettings = z.object({
  path: z.string().trim().default(''),
  runtime: z.enum(LOCAL_RUNTIMES).default('auto'),
  idleStopMinutes: z.number().min(0).max(1440).default(10),
  threads: z.number().int().min(0).max(256).default(0),
});
export type LocalModelSettings = z.output<typeof LocalModelSettings>;

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
  const problems: string[] = [];
  const out: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(LocalModelSettings.shape)) {
    const r = (schema as z.ZodType).safeParse(raw[key]);
    if (r.success) out[key] = r.data;
    else {
      out[key] = (schema as z.ZodType).parse(undefined);
      problems.push(`\`nocodo.localModel.${key}\` is invalid (${JSON.stringify(raw[key])}); using ${JSON.stringify(out[key])}.`);
    }
  }
  const s = out as LocalModelSettings;
  return { path: s.path, runtime: s.runtime, idleStopMs: Math.round(s.idleStopMinutes * 60_000), threads: s.threads || undefined, problems };
}
