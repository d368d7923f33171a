// What a failing call threw, and its message chain as the CLI prints it. This
// package has no dependencies, so it cannot use @tau/schemas' formatErrorChain.

/** The error `run` throws; fails the test when it throws nothing. */
export function thrownBy(run: () => unknown): unknown {
  try {
    run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a failure');
}

/** The messages of an error and its causes joined by `: `. */
export function errorChainText(error: unknown): string {
  const messages: string[] = [];
  for (let current: unknown = error; current instanceof Error; current = current.cause) messages.push(current.message);
  return messages.join(': ');
}
