import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import type request from 'supertest';

/**
 * Follows a live tail (server-sent events) of `server` at `path` with fetch
 * (supertest buffers a whole response); `frames` grows as events arrive,
 * `stop()` closes the connection as a client leaving would.
 */
export function followTail(
  server: Parameters<typeof request>[0],
  path: string,
) {
  const { port } = (server as unknown as Server).address() as AddressInfo;
  const abort = new AbortController();
  const frames: Array<{ event: string; data: any }> = [];
  let status = 0;
  const done = fetch(`http://127.0.0.1:${port}${path}`, {
    headers: { accept: 'text/event-stream' },
    signal: abort.signal,
  })
    .then(async res => {
      status = res.status;
      const decoder = new TextDecoder();
      let buffer = '';
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        const parts = buffer.split('\n\n');
        buffer = parts.pop()!;
        for (const part of parts) {
          const event = /^event: (.*)$/m.exec(part)?.[1];
          const data = /^data: (.*)$/m.exec(part)?.[1];
          if (event && data) frames.push({ event, data: JSON.parse(data) });
        }
      }
    })
    .catch(() => undefined);
  return {
    frames,
    status: () => status,
    /** The frames of one event. */
    of: (event: string) => frames.filter(f => f.event === event),
    stop: async () => {
      abort.abort();
      await done;
    },
  };
}
