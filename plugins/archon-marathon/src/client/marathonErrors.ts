import {
  ConflictError,
  InputError,
  NotFoundError,
  ServiceUnavailableError,
} from '@backstage/errors';
import {
  DeploymentInProgressError,
  UnprocessableError,
  UpstreamTimeoutError,
} from '@archon/plugin-archon-node';

// How Marathon's answers (or their absence) become archon's errors, always
// naming the instance; MarathonClient's #call is the one user.

export function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

interface MarathonErrorBody {
  message?: string;
  details?: Array<{ path?: string; errors?: string[] }> | string;
  deployments?: Array<{ id: string }>;
}

/** Marathon's error body as one sentence: message plus the field errors. */
export function describeDetails(details: MarathonErrorBody['details']): string {
  if (typeof details === 'string') return details;
  if (!Array.isArray(details)) return '';
  return details
    .map(d => `${d.path ?? '/'}: ${(d.errors ?? []).join(', ')}`)
    .join('; ');
}

export function httpError(
  status: number,
  parsed: unknown,
  what: string,
  call: string,
): Error {
  const body = (
    parsed && typeof parsed === 'object'
      ? parsed
      : {
          message:
            typeof parsed === 'string' ? parsed.slice(0, 300) : undefined,
        }
  ) as MarathonErrorBody;
  const message = body.message ?? `HTTP ${status}`;
  const details = describeDetails(body.details);
  const full = details ? `${message}: ${details}` : message;
  switch (status) {
    case 400:
    case 415:
      return new InputError(`${what} refused ${call}: ${full}`);
    case 401:
      return new ServiceUnavailableError(
        `${what} refused archon's credentials (401) for ${call}: ${message}; check archon.marathon.instances[].auth`,
      );
    case 403:
      return /deployments/i.test(message)
        ? new ConflictError(`${what} refused ${call}: ${message}`)
        : new ServiceUnavailableError(
            `${what} does not allow archon to ${call} (403): ${message}`,
          );
    case 404:
      return new NotFoundError(`${what}: ${message}`);
    case 409:
      if (body.deployments?.length) {
        const ids = body.deployments.map(d => d.id);
        return new DeploymentInProgressError(
          `${what} refused ${call}: the app is locked by deployment ${ids.join(
            ', ',
          )} (retry when it is done, or use force to cancel it)`,
          ids.map(id => ({ id, source: 'marathon' })),
        );
      }
      return new ConflictError(`${what} refused ${call}: ${message}`);
    case 422:
      return new UnprocessableError(
        `${what} rejected ${call}: ${full}`,
        body.details,
      );
    default:
      return new ServiceUnavailableError(
        `${what} failed ${call} with HTTP ${status}: ${full}`,
      );
  }
}

export function transportError(
  error: unknown,
  what: string,
  timeoutMs: number,
): Error {
  const code =
    (error as { code?: string })?.code ??
    (error as { cause?: { code?: string } })?.cause?.code;
  const name = (error as Error)?.name;
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT' ||
    name === 'TimeoutError'
  ) {
    return new UpstreamTimeoutError(
      `${what} did not answer within ${timeoutMs} ms`,
    );
  }
  if (name === 'AbortError') return error as Error;
  return new ServiceUnavailableError(
    `${what} is not reachable: ${
      code ?? (error as Error)?.message ?? String(error)
    }`,
  );
}
