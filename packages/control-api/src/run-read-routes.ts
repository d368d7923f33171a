// The read-only routes of a run: each calls the @tau/recovery command the CLI
// calls and answers with the CLI's `--json` document.
import type { FastifyInstance } from 'fastify';
import {
  auditVerifyCommand,
  diagnoseStateDir,
  rbacWhoamiReport,
  renderControlJsonDocument,
  runControlCommand,
  stateDirPaths,
} from '@tau/recovery';
import {
  readControlState,
  readRecoveryReport,
  readTrainingStatus,
  type ApiRecoveryReportEnvelope,
  type ApiRunList,
  type ApiWhoami,
  type AuditVerificationDocument,
  type DoctorReportDocument,
} from '@tau/schemas';
import { registerApiRoute } from './api-route-registration.js';
import { checkpointCardsOf } from './checkpoint-cards.js';
import { runOf } from './served-run-lookup.js';
import type { ServerContext } from './server-context.js';

/** The principal's environment: empty, so nothing but the token's principal can be used. */
export const NO_LOCAL_PRINCIPAL = Object.freeze({}) as Record<string, string | undefined>;

function readOrNull<T>(read: () => T | undefined): T | null {
  try {
    return read() ?? null;
  } catch {
    return null;
  }
}

/** Registers runs, whoami, status, doctor, audit verify, recovery report and checkpoints. */
export function registerRunReadRoutes(app: FastifyInstance, context: ServerContext): void {
  registerApiRoute(app, 'listRuns', async (): Promise<ApiRunList> => ({
    runs: [...context.runs.values()].map((run) => {
      const paths = stateDirPaths(run.stateDir);
      return {
        name: run.name,
        lifecycle_state: readOrNull(() => readControlState(paths.controlState))?.lifecycle_state ?? null,
        training_run_state: readOrNull(() => readTrainingStatus(paths.trainingStatus))?.run_state ?? null,
      };
    }),
  }));

  registerApiRoute(app, 'whoami', async (request): Promise<ApiWhoami> => {
    const { run, auth } = runOf(request, context);
    const report = await rbacWhoamiReport({ rbacPolicyPath: run.rbacPolicyPath, principal: auth.principal }, NO_LOCAL_PRINCIPAL);
    return { ...report, auth: `token:${auth.tokenId}` };
  });

  registerApiRoute(app, 'status', async (request, reply) => {
    const { run, auth } = runOf(request, context);
    const stopTimer = context.metrics.decisionSeconds.startTimer({ action: 'status' });
    try {
      const document = await run.statusCache.documentFor(auth.principal, async () =>
        renderControlJsonDocument(
          await runControlCommand(
            { action: 'status', stateDir: run.stateDir, rbacPolicyPath: run.rbacPolicyPath, principal: auth.principal },
            NO_LOCAL_PRINCIPAL,
          ),
        ),
      );
      context.metrics.commands.inc({ action: 'status', outcome: 'ok' });
      return reply.type('application/json; charset=utf-8').send(document);
    } finally {
      stopTimer();
    }
  });

  registerApiRoute(app, 'doctor', async (request): Promise<DoctorReportDocument> => {
    const { run, auth } = runOf(request, context);
    return diagnoseStateDir({ stateDir: run.stateDir, rbacPolicyPath: run.rbacPolicyPath, principal: auth.principal }, NO_LOCAL_PRINCIPAL);
  });

  registerApiRoute(app, 'auditVerify', async (request, reply) => {
    const { run } = runOf(request, context);
    const outcome = auditVerifyCommand(run.stateDir, { json: true });
    // The text is this document rendered by @tau/audit-log; typed here so its shape is checked against the schema.
    const document: AuditVerificationDocument = outcome.verification;
    void document;
    return reply.type('application/json; charset=utf-8').send(outcome.text);
  });

  registerApiRoute(app, 'recoveryReport', async (request): Promise<ApiRecoveryReportEnvelope> => {
    const { run } = runOf(request, context);
    return { report: readRecoveryReport(stateDirPaths(run.stateDir).recoveryReport) ?? null };
  });

  registerApiRoute(app, 'checkpoints', async (request) => {
    const { run } = runOf(request, context);
    return checkpointCardsOf(stateDirPaths(run.stateDir));
  });
}
