import http, { IncomingMessage, ServerResponse } from 'node:http';
import { HttpError, malformedJson, noJsonContent } from './errors';
import { RequestContext, RouteResult, Router } from './router';

const MAX_BODY_BYTES = 10 * 1024 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new HttpError(413, { message: 'Request body too large' }));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(
  res: ServerResponse,
  result: Exclude<RouteResult, 'handled'>,
  leader: string,
  head: boolean,
): void {
  const headers: Record<string, string> = {
    'X-Marathon-Leader': `http://${leader}`,
    ...result.headers,
  };
  let payload = '';
  if (result.text !== undefined) {
    payload = result.text;
    headers['Content-Type'] = result.contentType ?? 'text/plain';
  } else if (result.body !== undefined) {
    payload = JSON.stringify(result.body);
    headers['Content-Type'] = 'application/json';
  }
  if (payload) headers['Content-Length'] = String(Buffer.byteLength(payload));
  res.writeHead(result.status, headers);
  res.end(head ? undefined : payload);
}

/** A Node http server dispatching to `router`, rendering `HttpError`s as Marathon does. */
export function createHttpServer(
  router: Router,
  leader: () => string,
): http.Server {
  return http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const head = req.method === 'HEAD';
      try {
        const match = router.match(req.method ?? 'GET', url.pathname);
        if (match.kind === 'notFound')
          throw new HttpError(404, { message: 'URI not found' });
        if (match.kind === 'methodNotAllowed')
          throw new HttpError(405, { message: 'Method Not Allowed' });
        let bodyText: Promise<string> | undefined;
        const text = () => (bodyText ??= readBody(req));
        const context: RequestContext = {
          req,
          res,
          url,
          query: url.searchParams,
          params: match.params,
          text,
          json: async () => {
            // Resources consume application/json only (JAX-RS @Consumes): others get 415.
            const contentType = req.headers['content-type'] ?? '';
            if (!/json/i.test(contentType))
              throw new HttpError(415, { message: 'Unsupported Media Type' });
            const raw = await text();
            if (raw.trim().length === 0) throw noJsonContent();
            try {
              return JSON.parse(raw) as unknown;
            } catch (error) {
              throw malformedJson((error as Error).message);
            }
          },
        };
        const result = await match.handler(context);
        if (result !== 'handled') send(res, result, leader(), head);
      } catch (error) {
        if (res.headersSent) {
          res.end();
          return;
        }
        if (error instanceof HttpError) {
          send(
            res,
            { status: error.status, body: error.body, headers: error.headers },
            leader(),
            head,
          );
        } else {
          send(
            res,
            {
              status: 500,
              body: { message: (error as Error).message ?? String(error) },
            },
            leader(),
            head,
          );
        }
      }
    })();
  });
}
