import { ExitCode, exitCodeForStatus, type ExitCodeValue } from './exitCodes';

/**
 * An error the CLI reports as one readable line (plus optional detail lines)
 * and an exit code; never with a stack trace.
 */
export class CliError extends Error {
  readonly exitCode: ExitCodeValue;
  /** Extra lines printed under the message (field errors, hints). */
  readonly details: string[];

  constructor(
    message: string,
    exitCode: ExitCodeValue = ExitCode.Error,
    details: string[] = [],
  ) {
    super(message);
    this.name = 'CliError';
    this.exitCode = exitCode;
    this.details = details;
  }
}

/** A usage error: bad arguments, exit code 2. */
export class UsageError extends CliError {
  constructor(message: string, details: string[] = []) {
    super(message, ExitCode.Usage, details);
    this.name = 'UsageError';
  }
}

/** The body of the API's 4xx/5xx answers (Backstage's error shape, plus archon's extras). */
export interface ApiErrorBody {
  error?: {
    name?: string;
    message?: string;
    details?: unknown;
    current?: unknown;
    [key: string]: unknown;
  };
  request?: { method?: string; url?: string };
  response?: { statusCode?: number };
}

/** A non-2xx answer from the API. */
export class ApiError extends CliError {
  readonly status: number;
  readonly body: ApiErrorBody | undefined;
  readonly url: string;

  constructor(options: {
    status: number;
    statusText?: string;
    body?: ApiErrorBody;
    text?: string;
    url: string;
    hint?: string;
  }) {
    const { status, body, url } = options;
    // The API names its body fields ("force": true); a CLI user has flags.
    const serverMessage = (
      body?.error?.message?.trim() ||
      firstLine(options.text) ||
      options.statusText ||
      'no message'
    ).replace(/"force": true/g, '--force');
    const details = [
      ...detailLines(body?.error?.details),
      ...currentLines(body?.error?.current),
    ];
    if (options.hint) details.push(options.hint);
    // With per-field details below, the summary before the first ": " says enough.
    const fields = (body?.error?.details as { fields?: unknown } | undefined)
      ?.fields;
    const summary =
      fields && typeof fields === 'object' && serverMessage.includes(': ')
        ? serverMessage.slice(0, serverMessage.indexOf(': '))
        : serverMessage;
    super(
      `${summary} (HTTP ${status}${
        body?.error?.name ? ` ${body.error.name}` : ''
      })`,
      exitCodeForStatus(status),
      details,
    );
    this.name = 'ApiError';
    this.status = status;
    this.body = body;
    this.url = url;
  }
}

function firstLine(text: string | undefined): string | undefined {
  if (!text) return undefined;
  // An HTML error page from a proxy says nothing useful beyond its title.
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  const line = (title ?? text)
    .split('\n')
    .map(l => l.trim())
    .find(Boolean);
  return line && line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

function scalar(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/**
 * The `details` of an error as indented lines: field-level problems
 * (`[{ field, problem }]`), Connect's per-field errors
 * (`{ fields: { name: [errors] } }`), configuration resolution problems
 * (`{ problems: [{ message }] }`), or any other object key by key.
 */
export function detailLines(details: unknown, indent = '  '): string[] {
  if (details === undefined || details === null) return [];
  if (typeof details !== 'object') return [`${indent}${scalar(details)}`];
  if (Array.isArray(details)) {
    return details.flatMap(item => {
      if (!item || typeof item !== 'object')
        return [`${indent}- ${scalar(item)}`];
      // A field-level problem (`[{ field, problem }]`, the API's one shape).
      if ('field' in item && 'problem' in item)
        return [
          `${indent}${scalar((item as { field: unknown }).field)}: ${scalar(
            (item as { problem: unknown }).problem,
          )}`,
        ];
      if ('message' in item)
        return [`${indent}- ${scalar((item as { message: unknown }).message)}`];
      return [`${indent}-`, ...detailLines(item, `${indent}  `)];
    });
  }
  const record = details as Record<string, unknown>;
  const lines: string[] = [];
  if (record.fields && typeof record.fields === 'object') {
    for (const [field, errors] of Object.entries(
      record.fields as Record<string, unknown>,
    )) {
      const list = Array.isArray(errors) ? errors : [errors];
      for (const e of list) lines.push(`${indent}${field}: ${scalar(e)}`);
    }
  }
  if (Array.isArray(record.problems)) {
    for (const p of record.problems as Array<Record<string, unknown>>) {
      lines.push(`${indent}- ${scalar(p?.message ?? p)}`);
    }
  }
  for (const [key, value] of Object.entries(record)) {
    if (
      key === 'fields' ||
      key === 'problems' ||
      key === 'path' ||
      key === 'versions'
    )
      continue;
    if (Array.isArray(value) && value.length === 0) continue;
    if (value && typeof value === 'object') {
      lines.push(`${indent}${key}:`);
      lines.push(...detailLines(value, `${indent}  `));
    } else {
      lines.push(`${indent}${key}: ${scalar(value)}`);
    }
  }
  return lines;
}

function currentLines(current: unknown): string[] {
  if (!current || typeof current !== 'object') return [];
  const c = current as {
    path?: string;
    version?: number;
    exists?: boolean;
    stat?: { version?: number };
  };
  if (c.exists === false)
    return [`  ${c.path ?? 'it'} does not exist any more (it was deleted)`];
  const version = c.version ?? c.stat?.version;
  return version !== undefined
    ? [`  ${c.path ?? 'it'} is now at version ${version}`]
    : [];
}

/** Network-level failures: the cause chain of undici's "fetch failed". */
export function describeNetworkError(error: unknown): string {
  const seen = new Set<unknown>();
  let e: unknown = error;
  let best: string | undefined;
  while (e && typeof e === 'object' && !seen.has(e)) {
    seen.add(e);
    const { code, message, name } = e as {
      code?: string;
      message?: string;
      name?: string;
    };
    if (
      name === 'TimeoutError' ||
      code === 'UND_ERR_CONNECT_TIMEOUT' ||
      code === 'UND_ERR_HEADERS_TIMEOUT'
    ) {
      return 'timed out';
    }
    if (code)
      best = `${code}${
        message && !message.includes(code) ? `: ${message}` : ''
      }`;
    else if (message && message !== 'fetch failed') best ??= message;
    e = (e as { cause?: unknown }).cause;
  }
  return best ?? 'connection failed';
}
