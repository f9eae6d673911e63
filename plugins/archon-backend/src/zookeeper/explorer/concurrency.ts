/**
 * Maps `items` through `fn` with at most `limit` calls in flight, keeping
 * the order. Stops starting new calls after the first failure and rethrows it.
 * node-zookeeper-client pipelines requests over one connection, so a few
 * dozen in flight cost ZooKeeper little and save round trips.
 */
export async function mapLimit<T, R>(
  items: readonly T[],
  limit: number,
  fn: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index], index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(
    Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker),
  );
  return results;
}
