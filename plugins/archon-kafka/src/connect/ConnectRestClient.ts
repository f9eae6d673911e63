import { request } from 'undici';
import type { ConnectClusterConfig } from '../kafka/KafkaClusterConfig';

/** A Connect REST error, with Connect's own status and message. */
export class ConnectRestError extends Error {
  readonly statusCode: number;
  readonly body: unknown;
  constructor(statusCode: number, message: string, body: unknown) {
    super(message);
    this.name = 'ConnectRestError';
    this.statusCode = statusCode;
    this.body = body;
  }
}

/** Thin undici client for one Kafka Connect cluster's REST API. */
export class ConnectRestClient {
  readonly cluster: ConnectClusterConfig;

  constructor(cluster: ConnectClusterConfig) {
    this.cluster = cluster;
  }

  async get<T>(path: string, signal?: AbortSignal): Promise<T> {
    // Reads too: right after a connector is created Connect answers even a
    // GET with "a rebalance is expected" until its workers have rejoined.
    return this.#withRebalanceRetry(() =>
      this.#withStaleSocketRetry(() =>
        this.#call<T>('GET', path, undefined, signal),
      ),
    );
  }

  async post<T>(path: string, body?: unknown): Promise<T> {
    let refusedOnce = false;
    try {
      return await this.#withRebalanceRetry(
        () => this.#call<T>('POST', path, body),
        () => {
          refusedOnce = true;
        },
      );
    } catch (error) {
      // Connect can apply a create and still answer "a rebalance is
      // expected"; the retry then finds the connector it made: read it back.
      const name = (body as { name?: unknown } | undefined)?.name;
      if (
        refusedOnce &&
        path === '/connectors' &&
        typeof name === 'string' &&
        error instanceof ConnectRestError &&
        error.statusCode === 409 &&
        /already exists/i.test(error.message)
      ) {
        return this.get<T>(`/connectors/${encodeURIComponent(name)}`);
      }
      throw error;
    }
  }

  async put<T>(path: string, body?: unknown): Promise<T> {
    return this.#withRebalanceRetry(() =>
      this.#withStaleSocketRetry(() => this.#call<T>('PUT', path, body)),
    );
  }

  async patch<T>(path: string, body?: unknown): Promise<T> {
    return this.#withRebalanceRetry(() => this.#call<T>('PATCH', path, body));
  }

  async delete<T>(path: string): Promise<T> {
    return this.#withRebalanceRetry(() =>
      this.#withStaleSocketRetry(() =>
        this.#call<T>('DELETE', path, undefined),
      ),
    );
  }

  /** Backoff delays for Connect's 409 "rebalance in progress"; tests may shorten them. */
  rebalanceBackoffMs = [250, 500, 1000, 2000, 4000];

  /**
   * Connect answers 409 while its workers rebalance (or its config topic is
   * being caught up). Those are retried with backoff; a 409 that is about
   * the request itself (e.g. "already exists") is not.
   */
  async #withRebalanceRetry<T>(
    fn: () => Promise<T>,
    onRetry?: () => void,
  ): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn();
      } catch (error) {
        // "a rebalance is expected" (RebalanceNeededException) comes as a
        // server error (Connect 4.x); reads and idempotent writes are simply
        // sent again, a create is read back by post() if it was applied.
        const retriable =
          error instanceof ConnectRestError &&
          ((error.statusCode === 409 &&
            /rebalanc|stale config|momentarily|in progress/i.test(
              error.message,
            )) ||
            (error.statusCode >= 500 &&
              /rebalance is expected/i.test(error.message)));
        if (!retriable) throw error;
        if (attempt >= this.rebalanceBackoffMs.length) {
          throw new ConnectRestError(
            409,
            `Kafka Connect is still rebalancing after ${
              attempt + 1
            } attempts: ${error.message}`,
            (error as ConnectRestError).body,
          );
        }
        onRetry?.();
        await new Promise(r => setTimeout(r, this.rebalanceBackoffMs[attempt]));
      }
    }
  }

  /**
   * Connect's Jetty closes idle keep-alive sockets on its own schedule; a
   * request that lands on a socket the worker has just closed fails before
   * any answer. Idempotent requests (GET, PUT, DELETE) are sent once more on a
   * fresh socket; POST is not, as the first one may have been applied.
   */
  async #withStaleSocketRetry<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (!isStaleSocketError(error)) throw error;
      return fn();
    }
  }

  async #call<T>(
    method: 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH',
    path: string,
    body: unknown,
    signal?: AbortSignal,
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const auth = this.cluster.auth;
    if (auth?.token) headers.authorization = `Bearer ${auth.token}`;
    else if (auth?.username) {
      headers.authorization = `Basic ${Buffer.from(
        `${auth.username}:${auth.password ?? ''}`,
      ).toString('base64')}`;
    }
    const response = await request(`${this.cluster.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal,
      headersTimeout: this.cluster.requestTimeoutMs,
      bodyTimeout: this.cluster.requestTimeoutMs,
    });
    const text = await response.body.text();
    const parsed = text ? safeJson(text) : undefined;
    if (response.statusCode === 404 && !isConnectAnswer(parsed)) {
      // While a worker starts (or stops) its Jetty listens before Connect's
      // REST resources are registered and answers every path with its own
      // bare 404: the connector is not missing, the worker is not serving.
      throw new ConnectRestError(
        503,
        `the worker is not serving its REST API yet (starting or stopping; ${method} ${path} answered a bare 404); retry shortly`,
        parsed,
      );
    }
    if (response.statusCode >= 400) {
      const message =
        (parsed as { message?: string } | undefined)?.message ??
        `HTTP ${response.statusCode}`;
      throw new ConnectRestError(response.statusCode, message, parsed);
    }
    return parsed as T;
  }
}

function isStaleSocketError(error: unknown): boolean {
  const code = (error as { code?: string } | undefined)?.code;
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET';
}

/** Connect's own error answers carry `error_code`; Jetty's default error page does not. */
function isConnectAnswer(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'error_code' in body;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
