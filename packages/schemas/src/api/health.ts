import * as z from 'zod/mini';

/** `GET /healthz`: the process answers. */
export const apiHealthSchema = z.object({ status: z.literal('ok') });
/** `GET /readyz`: every configured run's state directory is reachable (or creatable). */
export const apiReadinessSchema = z.object({
  ready: z.boolean(),
  runs: z.array(z.object({ name: z.string(), ready: z.boolean() })),
});
