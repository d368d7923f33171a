import type * as z from 'zod/mini';
import type { FieldProblem } from './artifact-errors.js';
import { describeJsonValue, formatFieldPath } from './json-value-description.js';

const EXPECTED_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean',
  object: 'a JSON object',
  record: 'a JSON object',
  array: 'an array',
  null: 'null',
};

function expectedName(expected: string): string {
  return EXPECTED_NAMES[expected] ?? expected;
}

function expectedValues(values: readonly unknown[]): string {
  if (values.length === 1) return JSON.stringify(values[0]) ?? String(values[0]);
  return `one of ${values.map((value) => String(value)).join(', ')}`;
}

/**
 * Zod error map for artifact parsing: every message says what was expected and
 * what was found. Schemas that need another wording (u64, nullable fields) carry
 * their own `error`, which zod prefers over this one.
 */
export function describeZodIssue(issue: z.core.$ZodRawIssue): string {
  let expectation: string;
  switch (issue.code) {
    case 'invalid_type':
      expectation = expectedName(issue.expected);
      break;
    case 'invalid_value':
      expectation = expectedValues(issue.values);
      break;
    case 'too_small':
      expectation = issue.origin === 'string' ? 'a non-empty string' : `a value >= ${String(issue.minimum)}`;
      break;
    case 'too_big':
      expectation = `a value <= ${String(issue.maximum)}`;
      break;
    default:
      return issue.message ?? 'invalid value';
  }
  if (issue.input === undefined) return `missing required field (expected ${expectation})`;
  return `expected ${expectation}, got ${describeJsonValue(issue.input)}`;
}

/** Most problems listed in one message; the rest are counted. */
const MAX_LISTED_PROBLEMS = 5;

/** Keeps the first issue per field (zod may report one field twice) in document order. */
export function fieldProblemsFromIssues(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  const problems: FieldProblem[] = [];
  const seenPaths = new Set<string>();
  for (const issue of issues) {
    const path = issue.path.map((segment) => (typeof segment === 'number' ? segment : String(segment)));
    const key = JSON.stringify(path);
    if (seenPaths.has(key)) continue;
    seenPaths.add(key);
    problems.push({ path, expectation: issue.message });
  }
  return problems;
}

/** `field \`a.b\`: expected ..., got ...; field ...` (the document itself has no field prefix). */
export function describeFieldProblems(problems: readonly FieldProblem[]): string {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS).map((problem) =>
    problem.path.length === 0 ? problem.expectation : `field \`${formatFieldPath(problem.path)}\`: ${problem.expectation}`,
  );
  const rest = problems.length - listed.length;
  if (rest > 0) listed.push(`and ${rest} more`);
  return listed.join('; ');
}
