import type request from 'supertest';

/** What a request that did not answer in time is reported as: status 0 and why. */
export type Answer =
  | request.Response
  | { status: 0; body: { error: { message: string } } };

/**
 * Sends the request with a time limit, so one that hangs shows up as
 * status 0 (and the test goes on) instead of stalling the test.
 */
export function answerOf(
  req: request.Test,
  timeoutMs = 30_000,
): Promise<Answer> {
  return Promise.resolve(req.timeout(timeoutMs)).catch((error: Error) => ({
    status: 0 as const,
    body: { error: { message: String(error) } },
  }));
}

/** Sends fresh requests until `ok` holds or `timeoutMs` has passed; returns the last answer. */
export async function until(
  send: () => request.Test,
  ok: (res: Answer) => boolean,
  timeoutMs = 90_000,
): Promise<Answer> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const res = await answerOf(send(), 15_000);
    if (ok(res) || Date.now() > deadline) return res;
    await new Promise(r => setTimeout(r, 250));
  }
}
