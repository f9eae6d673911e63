import { Router } from './router';
import { ServerContext } from './ServerContext';

const HEARTBEAT_MS = 10_000;

/**
 * GET /v2/events: Server-Sent Events as Jetty's EventSourceServlet sends them
 * (`event: <type>\ndata: <json>\n\n`). Without `Accept: text/event-stream` Jetty answers
 * 405. `event_type` (repeatable) filters; the first event is `event_stream_attached`.
 */
export function registerEventRoutes(
  router: Router,
  server: ServerContext,
  openStreams: Set<() => void>,
): void {
  router.add('GET', /^\/v2\/events\/?$/, context => {
    const { req, res } = context;
    if (!(req.headers.accept ?? '').includes('text/event-stream')) {
      return {
        status: 405,
        text:
          '<html><head><title>Error 405 </title></head><body><h2>HTTP ERROR: 405</h2>' +
          '<p>Problem accessing /v2/events. Reason:<pre>    HTTP method GET is not supported by this URL</pre></p></body></html>',
        contentType: 'text/html;charset=ISO-8859-1',
      };
    }
    const wanted = new Set(
      context.query
        .getAll('event_type')
        .flatMap(v => v.split(','))
        .filter(Boolean),
    );
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-cache',
      Connection: 'keep-alive',
      'X-Marathon-Leader': `http://${server.leader}`,
    });
    res.flushHeaders();
    const remoteAddress = req.socket.remoteAddress ?? '';
    let closed = false;
    const send = (event: { eventType: string }) => {
      if (closed) return;
      if (wanted.size > 0 && !wanted.has(event.eventType)) return;
      res.write(
        `event: ${event.eventType}\ndata: ${JSON.stringify(event)}\n\n`,
      );
    };
    const unsubscribe = server.events.subscribe(send);
    const heartbeat = setInterval(() => res.write('\r\n'), HEARTBEAT_MS);
    heartbeat.unref();
    const close = () => {
      if (closed) return;
      closed = true;
      clearInterval(heartbeat);
      unsubscribe();
      openStreams.delete(close);
      server.events.publish('event_stream_detached', { remoteAddress });
      res.end();
    };
    openStreams.add(close);
    req.on('close', close);
    // Like the server, the attach event goes to every stream, the new one included.
    server.events.publish('event_stream_attached', { remoteAddress });
    return 'handled';
  });
}
