/**
 * Runs `work` over `items` with at most `parallelism` in flight, keeping
 * results in input order. Twelve lines do not justify a dependency (p-limit
 * would add an install for the same loop).
 */
export async function mapWithParallelism<T, R>(items: readonly T[], parallelism: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  async function worker(): Promise<void> {
    while (next < items.length) {
      const index = next;
      next += 1;
      results[index] = await work(items[index] as T, index);
    }
  }
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallelism, items.length)) }, () => worker()));
  return results;
}
