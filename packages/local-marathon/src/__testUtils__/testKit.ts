import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import http from 'node:http';
import { startLocalMarathon, LocalMarathon } from '../LocalMarathon';
import { LocalMarathonOptions } from '../options';
import { waitFor } from '@archon/local-cluster/testing';

/**
 * Helpers for the integration tests: a server on a free port with its own data dir, a
 * small JSON client, polling, and an SSE client. Tests never assert on wall time; they
 * poll for states with generous deadlines.
 */

export interface ApiResponse<T = any> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export class ApiClient {
  constructor(readonly baseUrl: string) {}

  async request<T = any>(
    method: string,
    urlPath: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.baseUrl}${urlPath}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...headers },
      body:
        typeof body === 'string' || body === undefined
          ? body
          : JSON.stringify(body),
    });
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = undefined;
    }
    return {
      status: response.status,
      headers: response.headers,
      body: parsed as T,
      text,
    };
  }

  get<T = any>(urlPath: string, headers?: Record<string, string>) {
    return this.request<T>('GET', urlPath, undefined, headers);
  }
  post<T = any>(urlPath: string, body?: unknown) {
    return this.request<T>('POST', urlPath, body);
  }
  put<T = any>(urlPath: string, body?: unknown) {
    return this.request<T>('PUT', urlPath, body);
  }
  patch<T = any>(urlPath: string, body?: unknown) {
    return this.request<T>('PATCH', urlPath, body);
  }
  delete<T = any>(urlPath: string) {
    return this.request<T>('DELETE', urlPath);
  }

  async app(appId: string): Promise<any> {
    const response = await this.get(`/v2/apps${appId}`);
    return response.body?.app;
  }

  /** Waits until no deployment is running (or those with `ids` are gone). */
  async waitForDeployments(ids?: string[], timeoutMs = 60_000): Promise<void> {
    await waitFor(
      async () => {
        const { body } = await this.get<Array<{ id: string }>>(
          '/v2/deployments',
        );
        return ids ? !body.some(d => ids.includes(d.id)) : body.length === 0;
      },
      timeoutMs,
      'deployments to finish',
    );
  }
}

export interface TestServer {
  marathon: LocalMarathon;
  url: string;
  dataDir: string;
  api: ApiClient;
  /** Stops the server (killing all task processes) and removes the data dir. */
  stop(): Promise<void>;
}

export async function startTestServer(
  options: LocalMarathonOptions = {},
): Promise<TestServer> {
  const dataDir =
    options.dataDir ??
    fs.mkdtempSync(path.join(os.tmpdir(), 'local-marathon-test-'));
  const marathon = await startLocalMarathon({
    port: 0,
    deploymentTimeoutMs: 30_000,
    taskKillGraceMs: 1000,
    offerIntervalMs: 200,
    ...options,
    dataDir,
  });
  return {
    marathon,
    url: marathon.url,
    dataDir,
    api: new ApiClient(marathon.url),
    stop: async () => {
      await marathon.close();
      if (!options.dataDir)
        fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

// The one poll-with-deadline helper of every suite (local-cluster's testing entry point).
export { waitFor };

export interface SseEvent {
  event: string;
  data: any;
}

/** Collects `/v2/events` frames. */
export class SseClient {
  readonly events: SseEvent[] = [];
  private request?: http.ClientRequest;
  status?: number;

  static async connect(baseUrl: string, query = ''): Promise<SseClient> {
    const client = new SseClient();
    await new Promise<void>((resolve, reject) => {
      client.request = http.get(
        `${baseUrl}/v2/events${query}`,
        { headers: { Accept: 'text/event-stream' } },
        res => {
          client.status = res.statusCode;
          let buffer = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            buffer += chunk;
            let end = buffer.indexOf('\n\n');
            while (end >= 0) {
              const frame = buffer.slice(0, end);
              buffer = buffer.slice(end + 2);
              const event = /^event: (.*)$/m.exec(frame)?.[1];
              const data = /^data: (.*)$/m.exec(frame)?.[1];
              if (event && data)
                client.events.push({ event, data: JSON.parse(data) });
              end = buffer.indexOf('\n\n');
            }
          });
          res.on('error', () => undefined);
          resolve();
        },
      );
      client.request.on('error', reject);
    });
    // With an event_type filter the attach event may be filtered out too.
    if (!query.includes('event_type')) {
      await waitFor(
        () => client.events.some(e => e.event === 'event_stream_attached'),
        10_000,
        'stream attach',
      );
    }
    return client;
  }

  waitForEvent(
    predicate: (event: SseEvent) => boolean,
    timeoutMs = 60_000,
    what = 'event',
  ): Promise<SseEvent> {
    return waitFor(() => this.events.find(predicate), timeoutMs, what);
  }

  close(): void {
    this.request?.destroy();
  }
}

/**
 * A tiny HTTP server as an app command: answers `STATUS` (default 200) on every path,
 * listening on $PORT0. Uses the node binary running the tests.
 */
export function httpServerCommand(status = 200): string {
  const script = `require('http').createServer((q,s)=>{s.statusCode=${status};s.end('ok')}).listen(process.env.PORT0,'127.0.0.1')`;
  return `exec '${process.execPath}' -e "${script}"`;
}

/** Reads a whole sandbox file through the Mesos-style files API. */
export async function readSandboxFile(
  api: ApiClient,
  file: string,
): Promise<string> {
  let offset = 0;
  let data = '';
  for (;;) {
    const { body, status } = await api.get(
      `/files/read?path=${encodeURIComponent(
        file,
      )}&offset=${offset}&length=65536`,
    );
    if (status !== 200) throw new Error(`files/read returned ${status}`);
    if (!body.data) return data;
    data += body.data;
    offset += Buffer.byteLength(body.data);
  }
}
