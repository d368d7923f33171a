import * as z from 'zod/mini';
import { parseArtifactText } from './artifact-codec.js';
import { SCHEMA_VERSION } from './constants.js';

/** One principal pattern bound to role ids. */
export const rbacBindingSchema = z.looseObject({
  principal: z.string(),
  roles: z.array(z.string()),
});
/** One principal pattern bound to role ids. */
export type RbacBinding = z.infer<typeof rbacBindingSchema>;

/** A role: action-key patterns it allows and denies. */
export const rbacRoleSchema = z.looseObject({
  allow: z.optional(z.array(z.string())),
  deny: z.optional(z.array(z.string())),
});
/** A role: action-key patterns it allows and denies. */
export type RbacRole = z.infer<typeof rbacRoleSchema>;

/**
 * The RBAC policy file (`.tau/security/rbac.json`), shape only, with Tau's
 * defaults. Semantic rules (duplicate principals, empty roles...) are checked
 * by @tau/rbac.
 */
export const rbacPolicySchema = z.looseObject({
  schema_version: z._default(z.literal(SCHEMA_VERSION), SCHEMA_VERSION),
  team_mode: z._default(z.boolean(), false),
  bindings: z._default(z.array(rbacBindingSchema), () => []),
  roles: z._default(z.record(z.string(), rbacRoleSchema), () => ({})),
});
/** The RBAC policy file. */
export type RbacPolicy = z.infer<typeof rbacPolicySchema>;

/** Parses an RBAC policy file: `failed to parse rbac policy '<path>'`, caused by what is wrong (`unsupported rbac policy schema version N (expected 1)` for another version; @tau/rbac rewraps as `failed to parse rbac policy file <path>` or reports a version mismatch bare, as Tau). */
export function parseRbacPolicy(text: string, path: string): RbacPolicy {
  return parseArtifactText('rbac_policy', rbacPolicySchema, SCHEMA_VERSION, text, path);
}
