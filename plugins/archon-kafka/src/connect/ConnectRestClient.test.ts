import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConnectRestClient, ConnectRestError } from './ConnectRestClient';

/** A stand-in worker answering every request with one status and body. */
async function fakeWorker(status: number, body: object) {
  const server = http.createServer((_req, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>(resolve =>
    server.listen(0, '127.0.0.1', () => resolve()),
  );
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const client = new ConnectRestClient({
    name: 'fake',
    url,
    requestTimeoutMs: 2000,
  });
  return {
    client,
    close: () => {
      // The client keeps its socket alive for the next request.
      server.closeAllConnections();
      return new Promise(resolve => server.close(resolve));
    },
  };
}

describe('ConnectRestClient', () => {
  it("treats Jetty's bare 404 of a starting worker as the worker not serving yet, not as a missing connector", async () => {
    // What a worker answers between its Jetty starting and Connect registering its REST resources.
    const worker = await fakeWorker(404, {
      url: '/connectors/sink',
      status: '404',
      message: 'Not Found',
    });
    try {
      const error = await worker.client
        .get<never>('/connectors/sink')
        .catch((e: ConnectRestError) => e);
      expect(error).toBeInstanceOf(ConnectRestError);
      expect(error.statusCode).toBe(503);
      expect(error.message).toMatch(
        /not serving its REST API yet \(starting or stopping; GET \/connectors\/sink answered a bare 404\)/,
      );
    } finally {
      await worker.close();
    }
  });

  it("passes Connect's own 404 through", async () => {
    const worker = await fakeWorker(404, {
      error_code: 404,
      message: 'Connector sink not found',
    });
    try {
      const error = await worker.client
        .get<never>('/connectors/sink')
        .catch((e: ConnectRestError) => e);
      expect(error).toBeInstanceOf(ConnectRestError);
      expect({ status: error.statusCode, message: error.message }).toEqual({
        status: 404,
        message: 'Connector sink not found',
      });
    } finally {
      await worker.close();
    }
  });
});
