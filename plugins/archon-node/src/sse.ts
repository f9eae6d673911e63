import type { Request, Response } from 'express';

/** An open Server-Sent Events response. */
export interface ArchonEventStream {
  /** Sends one frame (`event: <event>` + one-line JSON `data:`); ignored once closed. */
  send(event: string, data: unknown): void;
  /** Ends the response. */
  close(): void;
  readonly closed: boolean;
  /** Called once when the client goes away or the stream is closed. */
  onClose(listener: () => void): void;
}

/** Whether the caller asked for an event stream (`Accept: text/event-stream`). */
export function wantsEventStream(req: Request<any, any, any, any>): boolean {
  return (req.headers.accept ?? '').includes('text/event-stream');
}

/**
 * Starts a Server-Sent Events response: `text/event-stream`, no caching and no
 * compression (`no-transform`, so the root router's gzip does not buffer the
 * frames), a comment line as heartbeat so proxies keep the connection open.
 */
export function openEventStream(
  req: Request<any, any, any, any>,
  res: Response,
  options: { heartbeatMs?: number } = {},
): ArchonEventStream {
  res.status(200);
  res.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  res.setHeader('Cache-Control', 'no-cache, no-transform');
  res.setHeader('Connection', 'keep-alive');
  res.setHeader('X-Accel-Buffering', 'no');
  res.flushHeaders();
  let closed = false;
  const listeners: Array<() => void> = [];
  const heartbeat = setInterval(() => {
    if (!closed) res.write(': keep-alive\n\n');
  }, options.heartbeatMs ?? 15_000);
  heartbeat.unref();
  const finish = () => {
    if (closed) return;
    closed = true;
    clearInterval(heartbeat);
    for (const listener of listeners.splice(0)) {
      try {
        listener();
      } catch {
        // A listener's failure must not keep the others from running.
      }
    }
  };
  req.on('close', finish);
  res.on('close', finish);
  return {
    send(event, data) {
      if (closed) return;
      res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
      (res as Response & { flush?: () => void }).flush?.();
    },
    close() {
      if (closed) return;
      finish();
      res.end();
    },
    get closed() {
      return closed;
    },
    onClose(listener) {
      if (closed) listener();
      else listeners.push(listener);
    },
  };
}

/** What the `error` frame that ends a stream carries. */
export interface ArchonStreamEnd {
  /** The system whose answers the stream relays, e.g. `marathon`. */
  system: string;
  /** Its configured name (instance, cluster). */
  instance: string;
  /** What happened and what to do, in that system's terms. */
  message: string;
  /** Further fields, e.g. a deployment's `outcome: 'unknown'` and where to `check` it. */
  [key: string]: unknown;
}

/**
 * Ends a stream whose source stopped answering with one clear frame,
 * `event: error` and `{ system, instance, message, ... }`, so a client never
 * waits on a stream whose upstream is gone (#22). The one definition of that
 * frame for every stream archon serves (app events, task logs, deploy
 * progress); clients map it to "unreachable" (the CLI exits 6).
 */
export function endStreamUnreachable(
  stream: ArchonEventStream,
  end: ArchonStreamEnd,
): void {
  if (stream.closed) return;
  stream.send('error', end);
  stream.close();
}
