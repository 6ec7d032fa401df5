/**
 * Runs `work` over the items with at most `limit` in flight, started in input order, and hands each
 * result to `emit` in input order as soon as it and every result before it are ready: output stays
 * in argument order while documents are processed concurrently. `work` should not throw (it reports
 * failures as results); if it does, no more items are started and the error is rethrown.
 */
export async function mapInOrder<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T, index: number) => Promise<R>,
  emit: (result: R, index: number) => void,
): Promise<void> {
  const results = new Map<number, R>();
  let next = 0;
  let emitted = 0;
  let failure: { error: unknown } | null = null;
  const flush = (): void => {
    while (results.has(emitted)) {
      const r = results.get(emitted)!;
      results.delete(emitted);
      emit(r, emitted++);
    }
  };
  const lane = async (): Promise<void> => {
    while (failure === null && next < items.length) {
      const i = next++;
      try {
        results.set(i, await work(items[i]!, i));
      } catch (error) {
        failure ??= { error };
        return;
      }
      flush();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  if (failure) throw (failure as { error: unknown }).error;
}
