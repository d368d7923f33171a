// fast-check generators of audit lines and logs for the property tests that
// hold the fast path to the simple one: well-formed rows of every shape, and
// the ways a line goes wrong (syntax, escapes, duplicates, huge integers,
// BOM, invalid UTF-8, non-objects).
import fc from 'fast-check';

const ACTIONS = ['pause', 'resume', 'cancel', 'rollback', 'status'];
const LIFECYCLES = ['running', 'paused', 'cancelled', 'rollback_requested'];

const textArb = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
  fc.constantFrom('local:alice', 'ci:bot', 'x"y', 'a\\b', 'tab\there', 'é', '日本', '🙂', '\u2028', ''),
);

const timestampArb = fc.oneof(
  fc.nat({ max: 2 ** 45 }),
  fc.constantFrom(0, 1767225600000, Number.MAX_SAFE_INTEGER, 999999999999999, 1000000000000000, 1.5, -3, 1e3),
  textArb,
  fc.constant(null),
);

/** A row object: known keys with right or wrong types, plus unknown keys. */
const rowObjectArb = fc
  .record(
    {
      schema_version: fc.constantFrom(1, 2),
      timestamp_unix_ms: timestampArb,
      principal: fc.oneof(textArb, fc.integer(), fc.constant(null)),
      action: fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...ACTIONS) }, { weight: 1, arbitrary: textArb }),
      lifecycle_state: fc.oneof(fc.constantFrom(...LIFECYCLES), textArb, fc.constant(null)),
      idempotent: fc.oneof(fc.boolean(), fc.constant(null), fc.constant('true')),
      prev_sha256: fc.oneof(fc.stringMatching(/^[0-9a-f]{64}$/), textArb),
      extra: fc.jsonValue({ maxDepth: 3 }),
    },
    { requiredKeys: ['action'] },
  )
  .map((row) => row as Record<string, unknown>);

/** Ways of turning a serialized row into another line (valid or not). */
type Mutation =
  | { kind: 'none' }
  | { kind: 'spaces' }
  | { kind: 'escape-key'; key: string }
  | { kind: 'escape-value' }
  | { kind: 'duplicate'; key: string; value: string }
  | { kind: 'big-integer'; literal: string }
  | { kind: 'bom' }
  | { kind: 'invalid-utf8'; at: number; bytes: readonly number[] }
  | { kind: 'cut'; at: number }
  | { kind: 'flip'; at: number; byte: number }
  | { kind: 'array' }
  | { kind: 'deep'; depth: number }
  | { kind: 'trailing'; text: string };

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 8, arbitrary: fc.constant({ kind: 'none' as const }) },
  fc.constant({ kind: 'spaces' as const }),
  fc.constantFrom('action', 'principal', 'timestamp_unix_ms', 'lifecycle_state').map((key) => ({ kind: 'escape-key' as const, key })),
  fc.constant({ kind: 'escape-value' as const }),
  fc.record({
    kind: fc.constant('duplicate' as const),
    key: fc.constantFrom('action', 'principal', 'timestamp_unix_ms', 'lifecycle_state', 'idempotent', 'prev_sha256', 'other'),
    value: fc.constantFrom('"pause"', '"local:bob"', '17', 'null', 'true', '"paused"', '[1]'),
  }),
  fc.constantFrom('9007199254740992', '-9007199254740993', '12345678901234567890', '1234567890123456.5', '1e400').map((literal) => ({
    kind: 'big-integer' as const,
    literal,
  })),
  fc.constant({ kind: 'bom' as const }),
  fc.record({
    kind: fc.constant('invalid-utf8' as const),
    at: fc.nat(),
    bytes: fc.constantFrom([0xff], [0xc3], [0xe2, 0x82], [0xed, 0xa0, 0x80], [0xc0, 0xaf], [0x80]),
  }),
  fc.record({ kind: fc.constant('cut' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
  fc.constant({ kind: 'array' as const }),
  fc.record({ kind: fc.constant('deep' as const), depth: fc.integer({ min: 60, max: 70 }) }),
  fc.record({ kind: fc.constant('trailing' as const), text: fc.constantFrom(' ', ' x', ',', '}', '\t\r', '\u000b') }),
);

function insertBeforeClosingBrace(text: string, member: string): string {
  const close = text.lastIndexOf('}');
  const needsComma = text.slice(0, close).trimEnd().endsWith('{') ? '' : ',';
  return `${text.slice(0, close)}${needsComma}${member}${text.slice(close)}`;
}

function applyMutation(row: Record<string, unknown>, mutation: Mutation): Buffer {
  const text = JSON.stringify(row);
  switch (mutation.kind) {
    case 'none':
      return Buffer.from(text);
    case 'spaces':
      return Buffer.from(` ${JSON.stringify(row, null, 1).replace(/\n/g, ' ')}\t`);
    case 'escape-key':
      return Buffer.from(text.replace(`"${mutation.key}":`, `"${mutation.key.replace(/t/, '\\u0074')}":`));
    case 'escape-value':
      return Buffer.from(text.replace(/"(pause|resume|cancel|rollback|running|paused|local:alice)"/, (_m, word: string) => `"\\u${word.charCodeAt(0).toString(16).padStart(4, '0')}${word.slice(1)}"`));
    case 'duplicate':
      return Buffer.from(insertBeforeClosingBrace(text, `"${mutation.key}":${mutation.value}`));
    case 'big-integer':
      return Buffer.from(insertBeforeClosingBrace(text, `"timestamp_unix_ms":${mutation.literal}`));
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(text)]);
    case 'invalid-utf8': {
      const bytes = Buffer.from(text);
      const at = mutation.at % (bytes.length + 1);
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(mutation.bytes), bytes.subarray(at)]);
    }
    case 'cut': {
      const bytes = Buffer.from(text);
      return bytes.subarray(0, mutation.at % bytes.length);
    }
    case 'flip': {
      const bytes = Buffer.from(text);
      const at = mutation.at % bytes.length;
      // A newline cannot be inside a line.
      bytes[at] = mutation.byte === 0x0a ? 0x20 : mutation.byte;
      return bytes;
    }
    case 'array':
      return Buffer.from(`[${text}]`);
    case 'deep':
      return Buffer.from(insertBeforeClosingBrace(text, `"deep":${'['.repeat(mutation.depth)}${']'.repeat(mutation.depth)}`));
    case 'trailing':
      return Buffer.from(text + mutation.text);
  }
}

/** One line (no line ending): mostly rows, sometimes broken in one of many ways. */
export const auditLineArb: fc.Arbitrary<Buffer> = fc
  .tuple(rowObjectArb, mutationArb)
  .map(([row, mutation]) => applyMutation(row, mutation));

/** A row as Tau (or we) write it: JSON.stringify of plain values; the fast path must accept these. */
export const plainRowLineArb: fc.Arbitrary<Buffer> = fc
  .record({
    schema_version: fc.constant(1),
    timestamp_unix_ms: fc.nat({ max: 2 ** 45 }),
    principal: fc.string({ unit: 'grapheme', maxLength: 16 }),
    action: fc.constantFrom(...ACTIONS),
    lifecycle_state: fc.constantFrom(...LIFECYCLES),
    idempotent: fc.boolean(),
    rollback_checkpoint: fc.oneof(fc.constant(null), fc.string({ maxLength: 20 })),
    prev_sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
  })
  .map((row) => Buffer.from(JSON.stringify(row)));

/** Blank lines in every flavour Tau skips. */
const blankLineArb = fc.constantFrom('', ' ', '\t', '  \t ', '\u00a0', '\u3000 ', '\u000b').map((text) => Buffer.from(text));

/** One log: lines with `\n` or `\r\n` endings, maybe a torn tail. */
export interface GeneratedLog {
  bytes: Buffer;
}

export const auditLogArb: fc.Arbitrary<GeneratedLog> = fc
  .record({
    lines: fc.array(
      fc.tuple(
        fc.oneof({ weight: 6, arbitrary: plainRowLineArb }, { weight: 2, arbitrary: blankLineArb }, { weight: 1, arbitrary: auditLineArb }),
        fc.constantFrom('\n', '\n', '\n', '\r\n'),
      ),
      { maxLength: 25 },
    ),
    tail: fc.oneof(fc.constant(Buffer.alloc(0)), auditLineArb.map((line) => line.subarray(0, Math.ceil(line.length / 2)))),
  })
  .map(({ lines, tail }) => ({
    bytes: Buffer.concat([...lines.flatMap(([line, ending]) => [line, Buffer.from(ending)]), tail]),
  }));
