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
    return this.#call<T>('GET', path, undefined, signal);
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
    if (response.statusCode >= 400) {
      const message =
        (parsed as { message?: string } | undefined)?.message ??
        `HTTP ${response.statusCode}`;
      throw new ConnectRestError(response.statusCode, message, parsed);
    }
    return parsed as T;
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
