import type { TypedResponse } from '@archon/plugin-archon-common';

/** The `error` part of archon's (Backstage's) error body, plus what archon adds. */
export interface ArchonErrorBody {
  error?: {
    name?: string;
    message?: string;
    /** 409 on a stale version: the set as it is now. */
    current?: unknown;
    /** 422: what to fix (resolution problems, impact of a delete, ...). */
    details?: unknown;
  };
  response?: { statusCode?: number };
}

/** A non-2xx answer of the archon API, with its parsed body. */
export class ArchonApiError extends Error {
  readonly status: number;
  readonly body?: ArchonErrorBody;

  constructor(status: number, message: string, body?: ArchonErrorBody) {
    super(message);
    this.name = body?.error?.name ?? 'ArchonApiError';
    this.status = status;
    this.body = body;
  }
}

/** Narrows an unknown error to an {@link ArchonApiError} of the given status. */
export function isApiError(
  error: unknown,
  status?: number,
): error is ArchonApiError {
  return (
    error instanceof ArchonApiError &&
    (status === undefined || error.status === status)
  );
}

/**
 * Awaits a call of the generated client and returns its JSON body, or throws
 * an {@link ArchonApiError} carrying the status and the error body.
 */
export async function unwrap<T>(call: Promise<TypedResponse<T>>): Promise<T> {
  const response = await call;
  if (response.ok) {
    return response.json();
  }
  throw await apiErrorOf(response);
}

/** The {@link ArchonApiError} of a non-2xx answer (reads its body). */
export async function apiErrorOf(response: {
  status: number;
  statusText: string;
  json(): Promise<unknown>;
}): Promise<ArchonApiError> {
  let body: ArchonErrorBody | undefined;
  try {
    body = (await response.json()) as unknown as ArchonErrorBody;
  } catch {
    body = undefined;
  }
  const message =
    body?.error?.message ??
    `archon answered ${response.status} ${response.statusText}`.trim();
  return new ArchonApiError(response.status, message, body);
}
