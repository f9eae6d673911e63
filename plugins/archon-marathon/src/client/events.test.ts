import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import { startLocalMarathon, type LocalMarathon } from '@archon/local-marathon';
import { waitFor } from '@archon/test-utils';
import { readMarathonInstances } from '../marathon/config';
import { MarathonDeployAdapter } from '../marathon/MarathonDeployAdapter';
import { MarathonInstances } from '../marathon/MarathonInstances';
import type { MarathonEvent } from './types';

jest.setTimeout(60_000);

function instancesFor(url: string, name = 'local'): MarathonInstances {
  return new MarathonInstances(
    readMarathonInstances(
      new ConfigReader({
        archon: {
          marathon: { instances: [{ name, url, requestTimeoutMs: 3000 }] },
        },
      }),
    ),
    mockServices.logger.mock(),
  );
}

describe('the Marathon event stream', () => {
  let dataDir: string;
  let marathon: LocalMarathon | undefined;

  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'archon-marathon-events-'));
  });

  afterEach(async () => {
    await marathon?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('reconnects when Marathon goes away and comes back, telling subscribers to re-read', async () => {
    marathon = await startLocalMarathon({ port: 0, dataDir });
    const port = marathon.port;
    const instances = instancesFor(marathon.url);
    const { events } = instances.get('local');
    const seen: MarathonEvent[] = [];
    let connects = 0;
    const unsubscribe = events.subscribe(
      e => seen.push(e),
      () => connects++,
    );
    try {
      await waitFor(() => events.connected);
      expect(connects).toBe(1);

      await marathon.close();
      await waitFor(() => !events.connected);
      marathon = await startLocalMarathon({ port, dataDir });
      await waitFor(() => events.connected, 30_000);
      expect(connects).toBe(2);

      await fetch(`${marathon.url}/v2/apps`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          id: '/after-restart',
          cmd: 'sleep 100',
          instances: 0,
          cpus: 0.1,
          mem: 16,
        }),
      });
      await waitFor(() =>
        seen.some(
          e =>
            e.eventType === 'api_post_event' &&
            (e as any).appDefinition?.id === '/after-restart',
        ),
      );
    } finally {
      unsubscribe();
      await instances.close();
    }
  });

  it('follows a deploy to its outcome over REST when the event stream is not there', async () => {
    marathon = await startLocalMarathon({
      port: 0,
      dataDir,
      offerIntervalMs: 200,
    });
    const target = new URL(marathon.url);
    // Everything but /v2/events passes through to Marathon.
    const proxy = http.createServer((req, res) => {
      if (req.url?.startsWith('/v2/events')) {
        res.writeHead(503).end();
        return;
      }
      const upstream = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: req.url,
          method: req.method,
          headers: req.headers,
        },
        up => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      req.pipe(upstream);
    });
    await new Promise<void>(resolve =>
      proxy.listen(0, '127.0.0.1', () => resolve()),
    );
    const instances = instancesFor(
      `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
    );
    try {
      const adapter = new MarathonDeployAdapter(instances);
      const workload = adapter.render({
        instance: 'local',
        configPath: '/no/events',
        ensemble: 'local',
        releaseId: 'rel-x',
        properties: {
          'marathon.cmd': 'sleep 100',
          'marathon.cpus': '0.1',
          'marathon.mem': '16',
        },
      });
      const progress: string[] = [];
      const handle = await adapter.deploy(workload, {
        timeoutMs: 30_000,
        onProgress: p => progress.push(p.message),
      });
      expect(handle.ref.deploymentId).toEqual(expect.any(String));
      const outcome = await handle.done;
      expect(outcome).toMatchObject({
        result: 'succeeded',
        reason: expect.stringMatching(/confirmed over REST/),
      });
      const status = await adapter.status({
        instance: 'local',
        id: '/no/events',
      });
      expect(status).toMatchObject({
        exists: true,
        running: 1,
        releaseId: 'rel-x',
        configPath: '/no/events',
      });
    } finally {
      await instances.close();
      proxy.close();
    }
  });
});
