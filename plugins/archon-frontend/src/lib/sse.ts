import type { TypedResponse } from '@archon/plugin-archon-common';
import { apiErrorOf } from './errors';

/** One Server-Sent Event: its `event:` name and its `data:` (parsed as JSON when it is JSON). */
export interface ServerSentEvent {
  event: string;
  data: unknown;
}

/** Parses one SSE frame (the lines between blank lines); undefined for comments and heartbeats. */
export function parseFrame(frame: string): ServerSentEvent | undefined {
  let event = 'message';
  const data: string[] = [];
  for (const line of frame.split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  if (data.length === 0) return undefined;
  const text = data.join('\n');
  try {
    return { event, data: JSON.parse(text) };
  } catch {
    return { event, data: text };
  }
}

/**
 * Reads a Server-Sent Events answer of the archon API as it arrives (fetch
 * streaming, so the Backstage fetchApi's auth headers are sent, which
 * EventSource cannot do), calling `onEvent` per event. `call` is a call of
 * the generated client, or a fetchApi fetch where the route streams only
 * when asked with `Accept: text/event-stream`. Resolves when the
 * server ends the stream or `signal` aborts; a non-2xx answer throws the
 * API's error.
 */
export async function readEventStream(
  call: Promise<TypedResponse<unknown>>,
  onEvent: (event: ServerSentEvent) => void,
  signal?: AbortSignal,
): Promise<void> {
  const response = (await call) as unknown as Response;
  if (!response.ok) throw await apiErrorOf(response);
  if (!response.body) throw new Error('The event stream has no body');
  const reader = response.body.getReader();
  const abort = () => {
    reader.cancel().catch(() => {});
  };
  signal?.addEventListener('abort', abort);
  const decoder = new TextDecoder();
  let buffer = '';
  try {
    for (;;) {
      if (signal?.aborted) return;
      const { done, value } = await reader.read();
      if (done) break;
      buffer += decoder.decode(value, { stream: true });
      const frames = buffer.split(/\r?\n\r?\n/);
      buffer = frames.pop() ?? '';
      for (const frame of frames) {
        const event = parseFrame(frame);
        if (event && !signal?.aborted) onEvent(event);
      }
    }
    const last = parseFrame(buffer + decoder.decode());
    if (last && !signal?.aborted) onEvent(last);
  } finally {
    signal?.removeEventListener('abort', abort);
  }
}
