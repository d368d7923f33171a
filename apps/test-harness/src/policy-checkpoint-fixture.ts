import type { PolicyCheckpoint } from '@tau/schemas';

/** The identifying fields of a generated policy checkpoint. */
export interface CheckpointIdentity {
  readonly runId: string;
  readonly globalStep: number;
  readonly optimizerStep: number;
  readonly savedAtUnixSeconds: number;
}

function optimizerState(identity: CheckpointIdentity): Record<string, unknown> {
  return {
    algorithm: 'ppo',
    learning_rate: 0.0003,
    kl_coefficient: 0.05,
    clip_range: 0.2,
    step: identity.optimizerStep,
  };
}

function policyState(): Record<string, unknown> {
  return {
    prompt_template: 'You are a careful assistant. Think step by step, then answer: {question}',
    few_shot_example_ids: ['ex-0041', 'ex-0107', 'ex-0233'],
    temperature: 0.7,
    max_output_tokens: 512,
  };
}

/** A small, valid checkpoint as the trainer writes it (pretty JSON, Tau's field order). */
export function renderPolicyCheckpoint(identity: CheckpointIdentity): string {
  const checkpoint = {
    checkpoint_version: 1,
    run_id: identity.runId,
    policy_state: policyState(),
    optimizer_state: optimizerState(identity),
    global_step: identity.globalStep,
    optimizer_step: identity.optimizerStep,
    saved_at_unix_seconds: identity.savedAtUnixSeconds,
  } satisfies PolicyCheckpoint;
  return JSON.stringify(checkpoint, null, 2);
}

const FLOATS_PER_ROW = 64;
const DISTINCT_ROWS = 32;
const CHUNK_CHARS = 1 << 20;

function logitRow(rowIndex: number): string {
  const values: string[] = [];
  for (let column = 0; column < FLOATS_PER_ROW; column += 1) {
    // Deterministic, varied digits so the file compresses and parses like real weights.
    const value = (((rowIndex * 7919 + column * 104_729) % 200_003) / 100_001.5 - 1).toFixed(6);
    values.push(value);
  }
  return `      [${values.join(', ')}]`;
}

/**
 * A valid checkpoint of about `targetBytes` (within one row, ~700 bytes),
 * produced in ~1 MB chunks so a 1 GB file never exists in memory. The large
 * `policy_state` comes before the step fields, as in Tau's serde order, so a
 * loader that wants `global_step` has to stream past the weights.
 */
export function* streamLargePolicyCheckpoint(identity: CheckpointIdentity, targetBytes: number): Generator<string> {
  const head = [
    '{',
    '  "checkpoint_version": 1,',
    `  "run_id": ${JSON.stringify(identity.runId)},`,
    '  "policy_state": {',
    `    "prompt_template": ${JSON.stringify(policyState().prompt_template)},`,
    '    "token_logits": [\n',
  ].join('\n');
  const optimizer = JSON.stringify(optimizerState(identity), null, 2).replace(/\n/g, '\n  ');
  const tail = [
    '\n    ]',
    '  },',
    `  "optimizer_state": ${optimizer},`,
    `  "global_step": ${identity.globalStep},`,
    `  "optimizer_step": ${identity.optimizerStep},`,
    `  "saved_at_unix_seconds": ${identity.savedAtUnixSeconds}`,
    '}',
  ].join('\n');
  const rows = Array.from({ length: DISTINCT_ROWS }, (_, index) => logitRow(index));
  let budget = targetBytes - head.length - tail.length;
  yield head;
  let chunk = '';
  let rowIndex = 0;
  do {
    const separator = rowIndex === 0 ? '' : ',\n';
    const row = rows[rowIndex % DISTINCT_ROWS] as string;
    chunk += separator + row;
    budget -= separator.length + row.length;
    rowIndex += 1;
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  } while (budget > (rows[rowIndex % DISTINCT_ROWS] as string).length + 2);
  yield chunk + tail;
}
