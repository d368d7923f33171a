// What one run of tau-po is asked to do, as a parser produced it. Execution
// (run-cli-invocation.ts) takes these and nothing else.
import type { ControlInvocation, SharedOptions } from './control-invocation.js';
import type { LockInvocation } from './lock-commands.js';

/** `tau-po doctor`. */
export interface DoctorInvocation extends SharedOptions {
  readonly kind: 'doctor';
}

/** `tau-po audit verify|repair|accept|timeline` (repair and accept are authorized, so they have a policy and principal too). */
export interface AuditInvocation extends SharedOptions {
  readonly kind: 'audit';
  readonly subcommand: 'verify' | 'repair' | 'accept' | 'timeline';
  /** `accept --reason`: why the findings are accepted (recorded in the row). */
  readonly reason?: string;
}

/** `tau-po checkpoint inspect|verify <file>`. */
export interface CheckpointInvocation {
  readonly kind: 'checkpoint';
  readonly subcommand: 'inspect' | 'verify';
  readonly file: string;
  readonly json: boolean;
}

/** `tau-po rbac check <action>`: one decision. */
export interface RbacCheckInvocation {
  readonly kind: 'rbac-check';
  /** An action name (`pause`) or an action key (`control:rl:pause`), as given. */
  readonly action: string;
  readonly rbacPolicyPath: string;
  readonly principal: string | undefined;
  readonly json: boolean;
}

/** `tau-po rbac whoami`: the resolved principal and its decision for every action. */
export interface RbacWhoamiInvocation {
  readonly kind: 'rbac-whoami';
  readonly rbacPolicyPath: string;
  readonly principal: string | undefined;
  readonly json: boolean;
}

/** `tau-po schemas export <dir>`. */
export interface SchemasExportInvocation {
  readonly kind: 'schemas-export';
  readonly dir: string;
  readonly json: boolean;
}

/** `--help` or `--version`: the text to print on stdout, exit 0. */
export interface HelpInvocation {
  readonly kind: 'help';
  readonly text: string;
}

/** Everything tau-po can be asked to do. */
export type CliInvocation =
  | ControlInvocation
  | DoctorInvocation
  | AuditInvocation
  | CheckpointInvocation
  | RbacCheckInvocation
  | RbacWhoamiInvocation
  | SchemasExportInvocation
  | LockInvocation
  | HelpInvocation;
