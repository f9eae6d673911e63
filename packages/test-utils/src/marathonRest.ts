import http from 'node:http';

/**
 * Marathon's own REST (`/v2/...`), as a user of Marathon's UI or another
 * tool calls it: for suites that need an app archon did not deploy. The
 * answer's body is parsed JSON, undefined when empty. Each call has a
 * connection of its own: a kept-alive one the server closed in between
 * failed a test with "other side closed".
 */
export function marathonRest(baseUrl: string) {
  return (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; body: any }> =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = http.request(
        `${baseUrl}/v2${path}`,
        {
          method,
          agent: false,
          headers: payload
            ? {
                'content-type': 'application/json',
                'content-length': Buffer.byteLength(payload),
              }
            : {},
        },
        res => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', chunk => (text += chunk));
          res.on('end', () => {
            try {
              resolve({
                status: res.statusCode ?? 0,
                body: text ? JSON.parse(text) : undefined,
              });
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
}
