import { FALLBACK_CHECKPOINT_FILE } from '@tau/schemas';
import { join } from 'node:path';
import { OPERATOR_PRINCIPAL } from './rbac-policy-fixture.js';
import type { ScenarioName } from './scenario-catalog.js';
import { scenarioFlags } from './tau-po-process.js';
import type { WrittenScenario } from './scenario-writer.js';

/** Every command that writes to a state dir. */
export const DRILL_COMMANDS = ['pause', 'resume', 'cancel', 'rollback', 'audit repair'] as const;
/** A mutating command the drill crashes. */
export type DrillCommand = (typeof DRILL_COMMANDS)[number];

/** The failpoint kinds: kill before operation N, or write half of it and then kill. */
export const FAILPOINT_KINDS = ['crash', 'torn'] as const;
/** A failpoint kind. */
export type FailpointKind = (typeof FAILPOINT_KINDS)[number];

/**
 * The starting scenarios each command accepts (exits 0 on): the healthy case,
 * and each way a previous crash can have left the dir that this command has
 * to cope with.
 */
export const DRILL_SCENARIOS: Readonly<Record<DrillCommand, readonly ScenarioName[]>> = {
  pause: ['clean', 'crashed', 'paused', 'torn-audit-tail', 'state-behind-audit'],
  resume: ['crashed', 'crashed-corrupt-primary', 'clean', 'completed-run', 'paused', 'torn-audit-tail', 'state-behind-audit'],
  cancel: ['clean', 'torn-audit-tail'],
  rollback: ['clean', 'state-behind-audit'],
  'audit repair': ['torn-audit-tail'],
};

/** One (command, starting scenario) pair of the matrix. */
export interface DrillCase {
  readonly command: DrillCommand;
  readonly scenario: ScenarioName;
}

/** Every case of the full matrix, in a stable order; `only` keeps the commands named. */
export function drillCases(only?: readonly DrillCommand[]): DrillCase[] {
  return DRILL_COMMANDS.filter((command) => only === undefined || only.includes(command)).flatMap((command) =>
    DRILL_SCENARIOS[command].map((scenario) => ({ command, scenario })),
  );
}

/** tau-po's arguments for `command` against a written scenario. */
export function drillCommandArgs(command: DrillCommand, scenario: WrittenScenario): string[] {
  const flags = scenarioFlags(scenario.stateDir, scenario.policyPath, OPERATOR_PRINCIPAL);
  switch (command) {
    case 'rollback':
      return ['rollback', join(scenario.stateDir, FALLBACK_CHECKPOINT_FILE), ...flags];
    case 'audit repair':
      // Authorized as `resume` (it makes the log resumable again), so it takes the policy and principal too.
      return ['audit', 'repair', ...flags];
    default:
      return [command, ...flags];
  }
}

/** The command run after every crash: the one an operator runs at 3 a.m. */
export function followUpArgs(scenario: WrittenScenario): string[] {
  return ['resume', ...scenarioFlags(scenario.stateDir, scenario.policyPath, OPERATOR_PRINCIPAL)];
}
