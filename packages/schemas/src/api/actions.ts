import * as z from 'zod/mini';

/** A mutating action the API accepts at `POST /api/v1/runs/:run/actions/:action`. */
export const apiMutatingActionSchema = z.enum(['pause', 'resume', 'cancel', 'rollback']);
/** A mutating action. */
export type ApiMutatingAction = z.infer<typeof apiMutatingActionSchema>;

/** The path parameters of the action route. */
export const apiActionParamsSchema = z.object({ run: z.string(), action: z.string() });

/**
 * The action's body (strict: an unknown key is a usage error). `checkpoint`
 * is required for rollback and refused otherwise; `dry_run` only for resume.
 * The principal is never here: it is the token's.
 */
export const apiActionBodySchema = z.strictObject({
  dry_run: z.optional(z.boolean()),
  checkpoint: z.optional(z.string()),
});
/** The action's body. */
export type ApiActionBody = z.infer<typeof apiActionBodySchema>;
