import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ApiSession } from './api';
import { CliError } from './errors';
import { parseSse } from './sse';

async function collect<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

async function* chunks(...parts: string[]) {
  for (const p of parts) yield new TextEncoder().encode(p);
}

describe('server-sent events', () => {
  it('parses events split across chunks, comments, multi-line data and CRLF', async () => {
    const events = await collect(
      parseSse(
        chunks(
          ': hello\n',
          'event: progress\nda',
          'ta: {"step":1}\n\n',
          'data: a\r\ndata: b\r\n\r\n',
          'event: result\ndata: done',
        ),
      ),
    );
    expect(events).toEqual([
      { event: 'progress', data: '{"step":1}' },
      { event: 'message', data: 'a\nb' },
      { event: 'result', data: 'done' },
    ]);
  });

  it('streams through the API session with the token, and maps errors to exit codes', async () => {
    const seen: Array<string | undefined> = [];
    const server = http.createServer((req, res) => {
      seen.push(req.headers.authorization, req.headers.accept);
      if (req.url === '/api/archon/denied') {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            error: { name: 'AuthenticationError', message: 'no' },
            response: { statusCode: 401 },
          }),
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('event: accepted\ndata: {}\n\n');
      setTimeout(() => res.end('event: result\ndata: {"ok":true}\n\n'), 20);
    });
    await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const session = new ApiSession(
        {
          url,
          token: 't0k',
          tokenSource: 'ARCHON_TOKEN',
          urlSource: '--url',
          configFile: '/dev/null',
        },
        {},
      );
      expect(await collect(session.stream('/deploys/x/events'))).toEqual([
        { event: 'accepted', data: '{}' },
        { event: 'result', data: '{"ok":true}' },
      ]);
      expect(seen).toEqual(['Bearer t0k', 'text/event-stream']);
      await expect(collect(session.stream('/denied'))).rejects.toMatchObject({
        exitCode: 5,
      });
    } finally {
      server.close();
    }
    const down = new ApiSession(
      {
        url: 'http://127.0.0.1:9',
        tokenSource: 'none',
        urlSource: '--url',
        configFile: '/dev/null',
      },
      {},
    );
    const error = await collect(down.stream('/x')).catch(e => e);
    expect(error).toBeInstanceOf(CliError);
    expect(error).toMatchObject({
      exitCode: 6,
      message: expect.stringContaining('http://127.0.0.1:9/api/archon/x'),
    });
  });
});
