/**
 * An error whose message is meant for a person at a terminal: one line that says
 * what went wrong and what to do. The CLI prints only the message (no stack) and
 * exits with status 1; library callers can rely on `instanceof ClusterError` to
 * tell setup problems from bugs.
 */
export class ClusterError extends Error {
  constructor(message: string) {
    super(message.replace(/\s*\n\s*/g, ' ').trim());
    this.name = 'ClusterError';
  }
}

/** A one-line description of any thrown value. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    return error.message.replace(/\s*\n\s*/g, ' ').trim() || error.name;
  }
  return String(error);
}
