import fc from 'fast-check';

/** Files the fuzzer corrupts, relative to a scenario root. */
export const FUZZ_ARTIFACTS = [
  'state/control-state.json',
  'state/control-audit.jsonl',
  'state/status.json',
  'state/recovery-report.json',
  'state/policy-checkpoint.json',
  'state/policy-checkpoint.rollback.json',
  'rbac.json',
] as const;
/** A file the fuzzer corrupts. */
export type FuzzArtifact = (typeof FUZZ_ARTIFACTS)[number];

/** Ways to corrupt a file: byte-level ones, JSON-aware ones, and file-system ones. */
export const MUTATION_KINDS = [
  'truncate',
  'bit-flip',
  'wrong-type',
  'huge-int',
  'wrong-version',
  'bom',
  'empty',
  'symlink',
  'dangling-symlink',
  'directory',
] as const;
/** A way to corrupt a file. */
export type MutationKind = (typeof MUTATION_KINDS)[number];

/** Random choices for one mutation, drawn from the seed. */
export interface MutationParameters {
  /** Where in the file (0 <= position < 1): truncation point, flipped byte. */
  readonly position: number;
  readonly bit: number;
  /** Picks a row / field among the candidates. */
  readonly pick: number;
}

/** One fuzz case: corrupt `artifact` by `kind` with `parameters`. */
export interface FuzzCase {
  readonly id: number;
  readonly artifact: FuzzArtifact;
  readonly kind: MutationKind;
  readonly parameters: MutationParameters;
}

/**
 * `count` cases (pure, reproducible from `seed`): the artifact x kind grid
 * walked in order, so any `count` >= 70 covers every pair, with positions,
 * bits, fields and rows drawn by fast-check.
 */
export function generateFuzzCases(seed: number, count: number): FuzzCase[] {
  const parameters = fc.sample(
    fc.record({
      position: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      bit: fc.integer({ min: 0, max: 7 }),
      pick: fc.nat({ max: 1_000_000 }),
    }),
    { seed, numRuns: count },
  );
  const grid = FUZZ_ARTIFACTS.length * MUTATION_KINDS.length;
  return parameters.map((drawn, id) => {
    // Kinds cycle fastest and artifacts shift by one more each lap (a bijection
    // onto the grid, since 10 and 7 are coprime), so even a few cases vary both.
    const cell = id % grid;
    const lap = Math.floor(cell / MUTATION_KINDS.length);
    return {
      id,
      kind: MUTATION_KINDS[cell % MUTATION_KINDS.length] as MutationKind,
      artifact: FUZZ_ARTIFACTS[(cell + lap) % FUZZ_ARTIFACTS.length] as FuzzArtifact,
      parameters: drawn,
    };
  });
}

/** A JSON integer literal far beyond 2^53-1 (u64::MAX, which Tau itself accepts). */
export const HUGE_INTEGER_LITERAL = '18446744073709551615';
const HUGE_PLACEHOLDER = '__tau_po_harness_huge_integer__';

type JsonObject = Record<string, unknown>;

function wrongTypeOf(value: unknown): unknown {
  if (typeof value === 'string') return 42;
  if (typeof value === 'number') return String(value);
  if (typeof value === 'boolean') return value ? 'true' : 0;
  if (value === null) return {};
  if (Array.isArray(value)) return 'not-an-array';
  return ['not', 'an', 'object'];
}

/** Applies a JSON-aware mutation to one object, in place. */
function mutateObject(object: JsonObject, kind: 'wrong-type' | 'huge-int' | 'wrong-version', pick: number): void {
  const keys = Object.keys(object);
  if (kind === 'wrong-version') {
    const versionKey = keys.find((key) => key === 'schema_version' || key === 'checkpoint_version') ?? 'schema_version';
    object[versionKey] = 2;
    return;
  }
  if (kind === 'huge-int') {
    const numeric = keys.filter((key) => typeof object[key] === 'number');
    const candidates = numeric.length > 0 ? numeric : keys;
    const key = candidates[pick % candidates.length] ?? 'schema_version';
    object[key] = HUGE_PLACEHOLDER;
    return;
  }
  const key = keys[pick % Math.max(1, keys.length)] ?? 'schema_version';
  object[key] = wrongTypeOf(object[key]);
}

function asObject(value: unknown): JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : { value };
}

/**
 * The corrupted bytes of a regular file (pure). JSON-aware kinds rewrite one
 * field (one row's field in a `.jsonl` log) and keep the file's layout; when the
 * file does not parse as JSON they fall back to a bit flip so every case still
 * corrupts something.
 */
export function mutateFileBytes(original: Buffer, kind: Exclude<MutationKind, 'symlink' | 'dangling-symlink' | 'directory'>, parameters: MutationParameters, isJsonLines: boolean): Buffer {
  switch (kind) {
    case 'truncate':
      return original.subarray(0, Math.floor(parameters.position * original.length));
    case 'bit-flip': {
      if (original.length === 0) return Buffer.from([1 << parameters.bit]);
      const copy = Buffer.from(original);
      const index = Math.floor(parameters.position * copy.length);
      copy[index] = (copy[index] as number) ^ (1 << parameters.bit);
      return copy;
    }
    case 'bom':
      return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), original]);
    case 'empty':
      return Buffer.alloc(0);
    default:
      break;
  }
  const text = original.toString('utf8');
  try {
    let mutated: string;
    if (isJsonLines) {
      const lines = text.split('\n');
      const rowIndexes = lines.flatMap((line, index) => (line.trim() === '' ? [] : [index]));
      const target = rowIndexes[parameters.pick % Math.max(1, rowIndexes.length)] ?? 0;
      const row = asObject(JSON.parse(lines[target] ?? '{}'));
      mutateObject(row, kind, parameters.pick);
      lines[target] = JSON.stringify(row);
      mutated = lines.join('\n');
    } else {
      const object = asObject(JSON.parse(text));
      mutateObject(object, kind, parameters.pick);
      mutated = JSON.stringify(object, null, 2);
    }
    return Buffer.from(mutated.replace(`"${HUGE_PLACEHOLDER}"`, HUGE_INTEGER_LITERAL));
  } catch {
    return mutateFileBytes(original, 'bit-flip', parameters, isJsonLines);
  }
}
