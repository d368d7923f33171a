// What client mode prints for a server's answer (pure): the local command's
// output, rendered by the same functions from the same document, so the two
// modes cannot drift apart. A document of the wrong shape is a failure.
import { renderAuditVerifyText, renderControlReportText, renderDoctorReport, type DoctorReport, type StateDirAuditVerification } from '@tau/recovery';
import { apiWhoamiSchema, auditVerificationSchema, controlReportSchema, doctorReportSchema, escapeTerminalText } from '@tau/schemas';
import type { CommandOutcome } from '../command-outcome.js';
import { controlStderrNotices } from '../control-notices.js';
import { missingPolicyNotice, renderRbacCheckText, renderRbacWhoamiText } from '../rbac-commands.js';
import type { RemoteAnswer } from './control-api-request.js';
import type { RemoteCall } from './remote-call-plan.js';

const EXIT_FAILURE = 1;

function notADocument(what: string, cause?: unknown): Error {
  return new Error(`the control server's answer is not ${what}`, cause === undefined ? undefined : { cause });
}

function renderControl(call: RemoteCall, answer: RemoteAnswer, stderrIsTerminal: boolean): CommandOutcome {
  const parsed = controlReportSchema.safeParse(answer.document);
  if (!parsed.success) throw notADocument('a control report');
  const notices = controlStderrNotices(parsed.data.diagnostics ?? [], stderrIsTerminal);
  return {
    // The server's text is the local command's `--json` document (same renderer), checked above.
    stdout: call.json ? answer.text : renderControlReportText(parsed.data),
    exitCode: 0,
    ...(notices.length === 0 ? {} : { stderrNotice: notices.join('\n') }),
  };
}

function renderDoctor(call: RemoteCall, answer: RemoteAnswer): CommandOutcome {
  const parsed = doctorReportSchema.safeParse(answer.document);
  if (!parsed.success) throw notADocument('a doctor report');
  // The document as sent (key order included): the local command prints its object the same way.
  const report = answer.document as DoctorReport;
  return {
    stdout: call.json ? JSON.stringify(report, null, 2) : renderDoctorReport(report),
    exitCode: parsed.data.resume_would_succeed ? 0 : EXIT_FAILURE,
  };
}

function renderAuditVerify(call: RemoteCall, answer: RemoteAnswer): CommandOutcome {
  const parsed = auditVerificationSchema.safeParse(answer.document);
  const verification = answer.document as StateDirAuditVerification;
  if (!parsed.success || !Array.isArray(verification.accepted)) throw notADocument('an audit verification');
  let text: string;
  try {
    text = call.json ? JSON.stringify(verification, null, 2) : renderAuditVerifyText(verification);
  } catch (cause) {
    throw notADocument('an audit verification', cause);
  }
  return { stdout: text, exitCode: parsed.data.ok ? 0 : EXIT_FAILURE };
}

function renderWhoami(call: RemoteCall, answer: RemoteAnswer): CommandOutcome {
  const parsed = apiWhoamiSchema.safeParse(answer.document);
  if (!parsed.success) throw notADocument('a whoami report');
  if (call.json) return { stdout: JSON.stringify(answer.document, null, 2), exitCode: 0 };
  // Local whoami's text, and how the server authenticated the principal (the token's id).
  const [first = '', ...rest] = renderRbacWhoamiText(parsed.data).split('\n');
  return { stdout: [`${first} auth=${escapeTerminalText(parsed.data.auth)}`, ...rest].join('\n'), exitCode: 0 };
}

const EXIT_DENIED = 3;

function renderRbacCheck(call: RemoteCall, answer: RemoteAnswer): CommandOutcome {
  const parsed = apiWhoamiSchema.safeParse(answer.document);
  if (!parsed.success) throw notADocument('a whoami report');
  const decision = parsed.data.decisions.find((candidate) => candidate.action === call.actionKey);
  if (decision === undefined) throw notADocument(`a whoami report deciding ${escapeTerminalText(call.actionKey ?? '')}`);
  const documents = (answer.document as { decisions: unknown[] }).decisions;
  // The decision as sent (key order included), like the local command's report.
  const sent = documents[parsed.data.decisions.indexOf(decision)];
  return {
    stdout: call.json ? JSON.stringify(sent, null, 2) : renderRbacCheckText(decision),
    exitCode: decision.allowed ? 0 : EXIT_DENIED,
    ...missingPolicyNotice([decision], decision.policy_path),
  };
}

/** The output of a call's successful answer. */
export function renderRemoteAnswer(call: RemoteCall, answer: RemoteAnswer, stderrIsTerminal: boolean): CommandOutcome {
  switch (call.answer) {
    case 'control':
      return renderControl(call, answer, stderrIsTerminal);
    case 'doctor':
      return renderDoctor(call, answer);
    case 'audit-verify':
      return renderAuditVerify(call, answer);
    case 'rbac-whoami':
      return renderWhoami(call, answer);
    case 'rbac-check':
      return renderRbacCheck(call, answer);
  }
}
