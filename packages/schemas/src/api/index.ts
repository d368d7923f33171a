// The control API's documents (request and response bodies), one file per resource.
export { apiErrorBodySchema, type ApiErrorBody } from './api-error.js';
export { apiRunListSchema, apiRunNameSchema, apiRunParamsSchema, apiRunSummarySchema, type ApiRunList } from './runs.js';
export { apiWhoamiSchema, type ApiWhoami } from './whoami.js';
export {
  apiActionBodySchema,
  apiActionParamsSchema,
  apiMutatingActionSchema,
  type ApiActionBody,
  type ApiMutatingAction,
} from './actions.js';
export {
  API_AUDIT_PAGE_DEFAULT_LIMIT,
  API_AUDIT_PAGE_MAX_LIMIT,
  apiAuditPageQuerySchema,
  apiAuditPageRowSchema,
  apiAuditPageSchema,
  type ApiAuditPage,
  type ApiAuditPageRow,
} from './audit-page.js';
export {
  apiCheckpointCardSchema,
  apiCheckpointHeaderSchema,
  apiCheckpointsSchema,
  type ApiCheckpointCard,
  type ApiCheckpoints,
} from './checkpoints.js';
export { apiRecoveryReportEnvelopeSchema, type ApiRecoveryReportEnvelope } from './recovery-report-envelope.js';
export {
  apiAuditEventSchema,
  apiEventNameSchema,
  apiStateEventSchema,
  apiStatusEventSchema,
  type ApiEventName,
  type ApiStateEvent,
  type ApiStatusEvent,
} from './events.js';
export { apiHealthSchema, apiReadinessSchema } from './health.js';
