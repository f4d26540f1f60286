import { z } from 'zod';

/** Every coding mode nocodo knows. A task's `mode` must be one of these to be runnable. */
export const MODE_IDS = ['diesel-model-fn', 'diesel-model-struct', 'diesel-schema', 'actix-handler', 'actix-router', 'actix-middleware', 'solid-list', 'solid-detail', 'solid-route', 'solid-form', 'solid-state', 'daisyui-style'] as const;
export const ModeId = z.enum(MODE_IDS);
export type ModeId = z.infer<typeof ModeId>;
