import * as z from 'zod/mini';
import { controlActionSchema } from '@tau/schemas';
import { UsageError } from './control-errors.js';

/**
 * One control command as the CLI parsed it. Nothing in this package reads
 * argv; the environment is read only to resolve the local principal.
 * Defaults (`DEFAULT_STATE_DIR`, `DEFAULT_RBAC_POLICY_PATH` from
 * @tau/schemas) are the CLI's to fill in.
 */
export const controlRequestSchema = z.object({
  /** Exactly one action. */
  action: controlActionSchema,
  /** The checkpoint path for `rollback`, exactly as given (relative to the working directory). */
  rollbackCheckpoint: z.optional(z.string()),
  /** The state directory as given; printed verbatim. */
  stateDir: z.string().check(z.minLength(1, 'state dir must not be empty')),
  /** The RBAC policy file; a missing file denies. */
  rbacPolicyPath: z.string().check(z.minLength(1, 'rbac policy path must not be empty')),
  /** The principal as given; blank or absent resolves to the local principal (@tau/rbac `resolvePrincipal`). */
  principal: z.optional(z.string()),
  /** `resume` only: compute and print everything, write nothing. */
  dryRun: z.optional(z.boolean()),
  /** Set by the control API: how the principal was authenticated, recorded in the audit row. */
  attribution: z.optional(z.object({ auth: z.string(), client_address: z.string() })),
});

/** One control command as the CLI parsed it. */
export type ControlRequest = z.infer<typeof controlRequestSchema>;

/**
 * Validates a request: shape, and the combinations the schema cannot say
 * (rollback needs a checkpoint, only rollback takes one, only resume has a
 * dry run).
 *
 * @throws UsageError naming the first problem.
 */
export function parseControlRequest(input: unknown): ControlRequest {
  const parsed = controlRequestSchema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? 'request' : issue.path.join('.');
    throw new UsageError(`invalid control request: ${where}: ${issue?.message ?? 'invalid'}`);
  }
  const request = parsed.data;
  if (request.action === 'rollback' && (request.rollbackCheckpoint ?? '').trim() === '') {
    throw new UsageError('rollback requires a checkpoint path');
  }
  if (request.action !== 'rollback' && request.rollbackCheckpoint !== undefined) {
    throw new UsageError(`a rollback checkpoint is only accepted by the rollback action, not '${request.action}'`);
  }
  if (request.dryRun === true && request.action !== 'resume') {
    throw new UsageError(`--dry-run is only accepted by resume, not '${request.action}'`);
  }
  return request;
}
