import net from 'node:net';
import { Writer } from './buffers';
import { encodeRequest, kafkaRoundTrip } from './framing';

describe('request framing', () => {
  it('writes a v1 header, and a v2 header with its tag section', () => {
    const body = Buffer.from([1, 2]);
    const header = {
      apiKey: 3,
      apiVersion: 4,
      correlationId: 9,
      clientId: 'c',
    };
    const v1 = encodeRequest({ ...header, flexibleHeader: false }, body);
    expect([...v1]).toEqual([
      ...[0, 0, 0, 13], // size
      ...[0, 3, 0, 4, 0, 0, 0, 9], // api key, version, correlation id
      ...[0, 1, 99], // client id 'c'
      ...[1, 2], // body
    ]);
    const v2 = encodeRequest({ ...header, flexibleHeader: true }, body);
    expect([...v2.subarray(0, 4)]).toEqual([0, 0, 0, 14]);
    expect(v2[15]).toBe(0); // empty header tag section before the body
  });
});

describe('kafkaRoundTrip', () => {
  // A plain TCP listener whose answer each test sets: the exchange's
  // failures are about what comes back on the socket, not about Kafka.
  let answer: (request: Buffer, socket: net.Socket) => void;
  let server: net.Server;
  let port: number;
  beforeAll(async () => {
    server = net.createServer(socket =>
      socket.once('data', (request: Buffer) => answer(request, socket)),
    );
    await new Promise<void>(resolve =>
      server.listen(0, '127.0.0.1', () => resolve()),
    );
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise(resolve => server.close(resolve)));

  const request = encodeRequest(
    {
      apiKey: 18,
      apiVersion: 3,
      correlationId: 5,
      clientId: 'test',
      flexibleHeader: true,
    },
    Buffer.alloc(0),
  );
  const frame = (correlationId: number, body: number[]) => {
    const payload = new Writer().int32(correlationId).build();
    const all = Buffer.concat([payload, Buffer.from(body)]);
    return Buffer.concat([new Writer().int32(all.length).build(), all]);
  };

  it('resolves with the body after the correlation id, in two chunks too', async () => {
    answer = (_, socket) => {
      const whole = frame(5, [7, 8, 9]);
      socket.write(whole.subarray(0, 6));
      setImmediate(() => socket.end(whole.subarray(6)));
    };
    const body = await kafkaRoundTrip('127.0.0.1', port, request, 5, {
      timeoutMs: 5_000,
    });
    expect([...body]).toEqual([7, 8, 9]);
  });

  it('refuses an answer to another correlation id', async () => {
    answer = (_, socket) => socket.end(frame(6, []));
    await expect(
      kafkaRoundTrip('127.0.0.1', port, request, 5, { timeoutMs: 5_000 }),
    ).rejects.toThrow('Kafka answered correlation id 6, expected 5');
  });

  it('says when the broker closes without answering', async () => {
    answer = (_, socket) => socket.end();
    await expect(
      kafkaRoundTrip('127.0.0.1', port, request, 5, { timeoutMs: 5_000 }),
    ).rejects.toThrow(
      `Kafka at 127.0.0.1:${port} closed the connection without answering`,
    );
  });

  it("ends at the caller's signal", async () => {
    const held: net.Socket[] = [];
    answer = (_, socket) => held.push(socket);
    const controller = new AbortController();
    const exchange = kafkaRoundTrip('127.0.0.1', port, request, 5, {
      signal: controller.signal,
    });
    controller.abort();
    await expect(exchange).rejects.toThrow(
      `no Kafka response from 127.0.0.1:${port} in time`,
    );
    held.forEach(s => s.destroy());
  });
});
