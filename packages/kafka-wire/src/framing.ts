import net from 'node:net';
import { Writer } from './buffers';

/**
 * The request frame and one request/response exchange on a plain TCP
 * connection. Reference: https://kafka.apache.org/protocol
 */

/** What goes into a request header. */
export interface RequestHeader {
  apiKey: number;
  apiVersion: number;
  correlationId: number;
  clientId: string;
  /**
   * Header v2 (flexible request versions: v1 + an empty tagged-field section)
   * instead of v1 (api key, version, correlation id, client id).
   */
  flexibleHeader: boolean;
}

/** Frames a request: int32 size, then the request header, then the body. */
export function encodeRequest(header: RequestHeader, body: Buffer): Buffer {
  const w = new Writer()
    .int16(header.apiKey)
    .int16(header.apiVersion)
    .int32(header.correlationId)
    // Both header versions keep the client id a classic nullable string.
    .string(header.clientId);
  if (header.flexibleHeader) w.tags();
  const head = w.build();
  return Buffer.concat([
    new Writer().int32(head.length + body.length).build(),
    head,
    body,
  ]);
}

/** What bounds one exchange: a time limit, a caller's signal, or both. */
export interface ExchangeBounds {
  timeoutMs?: number;
  signal?: AbortSignal;
}

/**
 * Sends one framed request on a fresh plaintext connection and resolves with
 * the response body after the correlation id (the response header v0; a
 * flexible response's header tags are the caller's to skip). Fails when the
 * broker answers another correlation id, closes without answering, or the
 * bounds run out first.
 */
export function kafkaRoundTrip(
  host: string,
  port: number,
  request: Buffer,
  correlationId: number,
  bounds: ExchangeBounds,
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const { timeoutMs, signal } = bounds;
    const socket = net.createConnection({ host, port });
    let received = Buffer.alloc(0);
    let settled = false;
    let timer: NodeJS.Timeout | undefined;
    let onAbort: (() => void) | undefined;
    const done = (error?: Error, body?: Buffer) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (onAbort) signal?.removeEventListener('abort', onAbort);
      socket.destroy();
      if (error) reject(error);
      else resolve(body!);
    };
    if (timeoutMs !== undefined) {
      timer = setTimeout(
        () =>
          done(
            new Error(
              `no Kafka response from ${host}:${port} within ${timeoutMs} ms`,
            ),
          ),
        timeoutMs,
      );
    }
    if (signal) {
      onAbort = () =>
        done(new Error(`no Kafka response from ${host}:${port} in time`));
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
    }
    socket.once('connect', () => socket.write(request));
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4) return;
      const size = received.readInt32BE(0);
      if (received.length < 4 + size) return;
      const response = received.subarray(4, 4 + size);
      const gotId = response.readInt32BE(0);
      if (gotId !== correlationId) {
        done(
          new Error(
            `Kafka answered correlation id ${gotId}, expected ${correlationId}`,
          ),
        );
        return;
      }
      done(undefined, response.subarray(4));
    });
    socket.once('error', error => done(error));
    socket.once('close', () =>
      done(
        new Error(
          `Kafka at ${host}:${port} closed the connection without answering`,
        ),
      ),
    );
  });
}
