// The control API's contract as data: every route, its inputs and its
// answers, as zod schemas from @tau/schemas. The server registers its routes
// from this table and the OpenAPI document is generated from it, so the two
// cannot drift apart.
import type * as z from 'zod/mini';
import {
  apiActionBodySchema,
  apiActionParamsSchema,
  apiAuditPageQuerySchema,
  apiAuditPageSchema,
  apiCheckpointsSchema,
  apiErrorBodySchema,
  apiHealthSchema,
  apiReadinessSchema,
  apiRecoveryReportEnvelopeSchema,
  apiRunListSchema,
  apiRunParamsSchema,
  apiWhoamiSchema,
  auditVerificationSchema,
  controlReportSchema,
  doctorReportSchema,
} from '@tau/schemas';

/** The prefix of every authenticated route. */
export const API_PREFIX = '/api/v1';

/** One route of the contract. */
export interface ApiRoute {
  /** A stable name (OpenAPI operationId). */
  id: string;
  method: 'GET' | 'POST';
  /** Fastify's spelling (`:run`). */
  url: string;
  summary: string;
  /** Whether `Authorization: Bearer <token>` is required. */
  auth: boolean;
  params?: z.ZodMiniType;
  query?: z.ZodMiniType;
  body?: z.ZodMiniType;
  /** The 200 answer: a JSON document, or a non-JSON media type with a description. */
  response: z.ZodMiniType | { mediaType: string; description: string };
  /** Error statuses this route can answer with (besides 500). */
  errors: number[];
}

const RUN_ERRORS = [401, 404, 429];

/** Every route the server answers (besides the dashboard's static files). */
export const API_ROUTES: readonly ApiRoute[] = [
  { id: 'healthz', method: 'GET', url: '/healthz', summary: 'The process answers.', auth: false, response: apiHealthSchema, errors: [] },
  {
    id: 'readyz',
    method: 'GET',
    url: '/readyz',
    summary: 'Every run is servable (503 when one is not).',
    auth: false,
    response: apiReadinessSchema,
    errors: [503],
  },
  {
    id: 'metrics',
    method: 'GET',
    url: '/metrics',
    summary: 'Prometheus metrics (text exposition format).',
    auth: false,
    response: { mediaType: 'text/plain', description: 'Prometheus text format 0.0.4' },
    errors: [],
  },
  {
    id: 'listRuns',
    method: 'GET',
    url: `${API_PREFIX}/runs`,
    summary: 'The runs this server controls, with their lifecycle and training states.',
    auth: true,
    response: apiRunListSchema,
    errors: [401, 429],
  },
  {
    id: 'whoami',
    method: 'GET',
    url: `${API_PREFIX}/runs/:run/whoami`,
    summary: "`tau-po rbac whoami --json` for the token's principal and the run's policy, plus `auth`.",
    auth: true,
    params: apiRunParamsSchema,
    response: apiWhoamiSchema,
    errors: RUN_ERRORS,
  },
  {
    id: 'status',
    method: 'GET',
    url: `${API_PREFIX}/runs/:run/status`,
    summary: 'The `tau-po status --json` document.',
    auth: true,
    params: apiRunParamsSchema,
    response: controlReportSchema,
    errors: [...RUN_ERRORS, 403],
  },
  {
    id: 'runAction',
    method: 'POST',
    url: `${API_PREFIX}/runs/:run/actions/:action`,
    summary: "pause, resume, cancel or rollback as the token's principal; the CLI's `--json` document.",
    auth: true,
    params: apiActionParamsSchema,
    body: apiActionBodySchema,
    response: controlReportSchema,
    errors: [400, ...RUN_ERRORS, 403, 408, 409, 413, 422],
  },
  {
    id: 'doctor',
    method: 'GET',
    url: `${API_PREFIX}/runs/:run/doctor`,
    summary: 'The `tau-po doctor --json` document.',
    auth: true,
    params: apiRunParamsSchema,
    response: doctorReportSchema,
    errors: RUN_ERRORS,
  },
  {
    id: 'auditPage',
    method: 'GET',
    url: `${API_PREFIX}/runs/:run/audit`,
    summary: 'Audit rows by row number: after=N ascending, before=N descending, neither newest first.',
    auth: true,
    params: apiRunParamsSchema,
    query: apiAuditPageQuerySchema,
    response: apiAuditPageSchema,
    errors: [400, ...RUN_ERRORS],
  },
  {
    id: 'auditVerify',
    method: 'GET',
    url: `${API_PREFIX}/runs/:run/audit/verify`,
    summary: 'The `tau-po audit verify --json` document.',
    auth: true,
    params: apiRunParamsSchema,
    response: auditVerificationSchema,
    errors: RUN_ERRORS,
  },
  {
    id: 'recoveryReport',
    method: 'GET',
    url: `${API_PREFIX}/runs/:run/recovery-report`,
    summary: 'The recovery report resume wrote, or null.',
    auth: true,
    params: apiRunParamsSchema,
    response: apiRecoveryReportEnvelopeSchema,
    errors: RUN_ERRORS,
  },
  {
    id: 'checkpoints',
    method: 'GET',
    url: `${API_PREFIX}/runs/:run/checkpoints`,
    summary: 'Both policy checkpoints (header, size, digest) and which one a resume would restore.',
    auth: true,
    params: apiRunParamsSchema,
    response: apiCheckpointsSchema,
    errors: RUN_ERRORS,
  },
  {
    id: 'events',
    method: 'GET',
    url: `${API_PREFIX}/runs/:run/events`,
    summary:
      'Server-Sent Events: `audit` (id = row number; data = an audit page row), `state` ({control_state}), `status` ({training_status}). Last-Event-ID: N replays rows after N first.',
    auth: true,
    params: apiRunParamsSchema,
    response: { mediaType: 'text/event-stream', description: 'Server-Sent Events' },
    errors: RUN_ERRORS,
  },
];

/** The error body's schema (every non-2xx answer). */
export const API_ERROR_SCHEMA = apiErrorBodySchema;
