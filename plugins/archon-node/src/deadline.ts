/**
 * Runs `work` under a deadline: past `ms`, the caller gets `late()` (an
 * UpstreamTimeoutError naming the system and what was being done), whatever
 * the client library is still waiting for. The abandoned work ends by
 * itself; its outcome is ignored (a write's outcome is then unknown, which
 * `late()`'s message must say).
 */
export async function withDeadline<T>(
  work: Promise<T>,
  ms: number,
  late: () => Error,
): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(late()), ms);
  });
  try {
    return await Promise.race([work, expired]);
  } finally {
    clearTimeout(timer);
  }
}
