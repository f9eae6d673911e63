/**
 * Error responses shaped like Marathon's `MarathonExceptionMapper`. Route handlers throw
 * `HttpError`s; the server turns them into JSON responses.
 */

export interface ErrorDetail {
  path: string;
  errors: string[];
}

export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(
      typeof body === 'object' && body !== null && 'message' in body
        ? String((body as { message: unknown }).message)
        : `HTTP ${status}`,
    );
  }
}

/** Collects violations, one detail entry per distinct JSON path (as the server groups them). */
export class Violations {
  private readonly byPath = new Map<string, string[]>();

  add(path: string, error: string): void {
    const errors = this.byPath.get(path) ?? [];
    if (!errors.includes(error)) errors.push(error);
    this.byPath.set(path, errors);
  }

  get isEmpty(): boolean {
    return this.byPath.size === 0;
  }

  toDetails(): ErrorDetail[] {
    return [...this.byPath.entries()].map(([path, errors]) => ({
      path,
      errors,
    }));
  }
}

export function notFound(message: string): HttpError {
  return new HttpError(404, { message });
}

export function appNotFound(appId: string, version?: string): HttpError {
  return notFound(
    `App '${appId}' does not exist${version ? ` in version ${version}` : ''}`,
  );
}

export function groupNotFound(groupId: string): HttpError {
  return notFound(`Group '${groupId}' does not exist`);
}

export function taskNotFound(taskId: string): HttpError {
  return notFound(`Task '${taskId}' does not exist`);
}

/** The body was not parseable JSON (Jackson's JsonParseException): details is the parser message. */
export function malformedJson(parserMessage: string): HttpError {
  return new HttpError(400, {
    message: 'Invalid JSON',
    details: parserMessage,
  });
}

/** The body was empty (Jackson's JsonMappingException). */
export function noJsonContent(): HttpError {
  return new HttpError(400, {
    message: 'Please specify data in JSON format',
    details: 'No content to map due to end-of-input',
  });
}

/**
 * The JSON did not match the RAML type (wrong JSON type, min/max, pattern, enum): the
 * server answers 422 "Invalid JSON" with Play-JSON error keys such as `error.min`.
 */
export function invalidJson(details: ErrorDetail[]): HttpError {
  return new HttpError(422, { message: 'Invalid JSON', details });
}

/** Semantic validation failed (wix-accord validators). */
export function objectNotValid(details: ErrorDetail[]): HttpError {
  return new HttpError(422, { message: 'Object is not valid', details });
}

export function appLocked(deploymentIds: string[]): HttpError {
  return new HttpError(409, {
    message:
      "App is locked by one or more deployments. Override with the option '?force=true'. " +
      "View details at '/v2/deployments/<DEPLOYMENT_ID>'.",
    deployments: deploymentIds.map(id => ({ id })),
  });
}

export function conflict(message: string): HttpError {
  return new HttpError(409, { message });
}

export function badRequest(message: string): HttpError {
  return new HttpError(400, { message });
}

export function unprocessable(message: string): HttpError {
  return new HttpError(422, { message });
}
