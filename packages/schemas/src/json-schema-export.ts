import * as z from 'zod/mini';
import { auditHeadFileSchema } from './audit-head-file.js';
import { auditRowSchema } from './audit-row.js';
import { controlReportSchema } from './control-report.js';
import { controlStateSchema } from './control-state.js';
import { policyCheckpointHeaderSchema } from './policy-checkpoint.js';
import { rbacPolicySchema } from './rbac-policy.js';
import { recoveryReportSchema } from './recovery-report.js';
import { trainingStatusSchema } from './training-status.js';
import { u64Schema } from './u64.js';

/**
 * Each schema's `$id`: a URN rather than a URL, because nothing is served at
 * any address (the files ship in the package, `@tau/schemas/json-schema/*`);
 * a validator registers a schema under it and `$ref`s resolve against it.
 */
export const JSON_SCHEMA_ID_PREFIX = 'urn:tau-po:schema:';

const U64_DESCRIPTION = 'Unsigned 64-bit integer in Tau; values above 2^53-1 are rejected rather than rounded.';

interface ExportedArtifact {
  schema: z.ZodMiniType;
  title: string;
  description: string;
}

// A function, not a constant: nothing here runs until someone asks for JSON Schema.
function exportedArtifacts(): Record<string, ExportedArtifact> {
  return {
    'control-state': {
      schema: controlStateSchema,
      title: 'control-state.json',
      description: 'Lifecycle state of a Tau prompt-optimization run, written by every control action except status.',
    },
    'control-audit-row': {
      schema: auditRowSchema,
      title: 'control-audit.jsonl row',
      description: 'One line of the append-only control audit log (compact JSON followed by a newline).',
    },
    'control-audit-head': {
      schema: auditHeadFileSchema,
      title: 'control-audit.head.json',
      description: "Where the audit log ended at our last commit (row count, the last chained row's offsets and SHA-256); ours, beside the log.",
    },
    'training-status': {
      schema: trainingStatusSchema,
      title: 'status.json',
      description: 'Status of the training run, written by the trainer. Optional keys are omitted, not null.',
    },
    'recovery-report': {
      schema: recoveryReportSchema,
      title: 'recovery-report.json',
      description: 'What resume found and restored: crash detection, audit replay, checkpoint source.',
    },
    'policy-checkpoint': {
      schema: policyCheckpointHeaderSchema,
      title: 'policy-checkpoint.json',
      description: 'Policy checkpoint written by the trainer (primary or rollback fallback).',
    },
    'rbac-policy': {
      schema: rbacPolicySchema,
      title: 'rbac.json',
      description: 'RBAC policy for prompt-optimization lifecycle control actions.',
    },
    'control-report': {
      schema: controlReportSchema,
      title: 'control report',
      description: 'The JSON document a control command prints with --json.',
    },
  };
}

/**
 * JSON Schema (draft 2020-12, `$id` `urn:tau-po:schema:<name>`) for every artifact, keyed by artifact name
 * (`control-state`, `control-audit-row`, `control-audit-head`, `training-status`, `recovery-report`,
 * `policy-checkpoint`, `rbac-policy`, `control-report`). Generated from the zod
 * schemas on each call; describes what a reader accepts (`io: 'input'`, so
 * fields with a default are not required).
 */
export function exportJsonSchemas(): Record<string, object> {
  const schemas: Record<string, object> = {};
  for (const [name, artifact] of Object.entries(exportedArtifacts())) {
    const generated = z.toJSONSchema(artifact.schema, {
      io: 'input',
      override: (context) => {
        if (context.zodSchema === u64Schema) context.jsonSchema.description = U64_DESCRIPTION;
      },
    });
    const { $schema, ...body } = generated as Record<string, unknown>;
    schemas[name] = { $schema, $id: `${JSON_SCHEMA_ID_PREFIX}${name}`, title: artifact.title, description: artifact.description, ...body };
  }
  return schemas;
}
