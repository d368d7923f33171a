import { serializeControlReport } from '@tau/schemas';
import type { ControlOutcome } from './control-command.js';

/**
 * A control command's `--json` document (the CLI's stdout and the control
 * API's body): Tau's keys, then (our extension, only when there is something
 * to say) `diagnostics`. Without it a dry run or a pause that moved a torn
 * audit tail aside would report its findings nowhere a script can read them;
 * leaving the key out otherwise keeps the document byte-for-byte Tau's.
 */
export function renderControlJsonDocument(outcome: ControlOutcome): string {
  const { report, diagnostics } = outcome;
  return serializeControlReport(diagnostics.length === 0 ? report : { ...report, diagnostics: [...diagnostics] });
}
