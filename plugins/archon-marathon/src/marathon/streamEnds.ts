import type { ArchonEventStream } from '@archon/plugin-archon-node';
import type { MarathonEventHub } from '../client/MarathonEventHub';

/**
 * Ends a stream archon serves from Marathon's event stream with one clear
 * frame, `event: error` and `{ message }` naming the instance, so a client
 * never waits on a stream whose upstream is gone (#22). The client reconnects
 * to resume; the first frame then is `attached` again.
 */
export function endStream(stream: ArchonEventStream, reason: string): void {
  if (stream.closed) return;
  stream.send('error', {
    message: `${reason}; this stream ends, reconnect to resume`,
  });
  stream.close();
}

/**
 * A stream opened while Marathon's event stream is not attached ends with the
 * same frame when it does not attach within the instance's deadline.
 */
export function endUnlessAttached(
  stream: ArchonEventStream,
  events: MarathonEventHub,
  instance: string,
): void {
  const deadlineMs = events.deadlineMs;
  void events.waitConnected(deadlineMs).then(attached => {
    if (!attached) {
      endStream(
        stream,
        `Marathon instance "${instance}" did not attach its event stream within ${
          deadlineMs / 1000
        } s`,
      );
    }
  });
}
