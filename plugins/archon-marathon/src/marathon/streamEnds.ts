import {
  endStreamUnreachable,
  type ArchonEventStream,
} from '@archon/plugin-archon-node';
import type { MarathonEventHub } from '../client/MarathonEventHub';

/**
 * Ends a stream archon serves from Marathon's event stream with the shared
 * `event: error` frame naming the instance (#22). The client reconnects to
 * resume; the first frame then is `attached` again.
 */
export function endStream(
  stream: ArchonEventStream,
  instance: string,
  reason: string,
): void {
  endStreamUnreachable(stream, {
    system: 'marathon',
    instance,
    message: `${reason}; this stream ends, reconnect to resume`,
  });
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
        instance,
        `Marathon instance "${instance}" did not attach its event stream within ${
          deadlineMs / 1000
        } s`,
      );
    }
  });
}
