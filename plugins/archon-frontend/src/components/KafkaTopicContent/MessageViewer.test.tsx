import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import {
  BASE,
  errorBody,
  renderArchon,
  sseResponse,
} from '../../__testUtils__';
import { MessageViewer } from './MessageViewer';

const server = setupServer();
registerMswTestHooks(server);

const MESSAGES = `${BASE}/kafka/local/topics/orders/messages`;

const message = (offset: number, value: string, key = `order-${offset}`) => ({
  partition: 1,
  offset,
  timestamp: 1764028800000 + offset,
  time: new Date(1764028800000 + offset).toISOString(),
  key: { format: 'utf8', text: key, size: key.length },
  value: { format: 'json', text: value, size: value.length },
  headers: [{ key: 'source', value: { format: 'utf8', text: 'web', size: 3 } }],
});

const list = (messages: unknown[], extra: object = {}) =>
  HttpResponse.json({
    topic: 'orders',
    messages,
    partitions: [
      { partition: 1, startOffset: 0, endOffset: 30, nextOffset: 30 },
    ],
    truncated: null,
    ...extra,
  });

const render = (permissions: 'allow' | 'deny' = 'allow') =>
  renderArchon(
    <MessageViewer cluster="local" topic="orders" partitions={2} />,
    {
      permissions,
    },
  );

describe('MessageViewer', () => {
  it('shows messages one line each and a message in full in the drawer', async () => {
    const user = userEvent.setup({ delay: null });
    const queries: string[] = [];
    server.use(
      http.get(MESSAGES, ({ request }) => {
        queries.push(new URL(request.url).search);
        return list([message(16, '{"id":7,"total":12.5}')]);
      }),
    );
    await render();
    await user.click(screen.getByRole('button', { name: 'Read messages' }));
    expect(await screen.findByText('1 message')).toBeInTheDocument();
    expect(queries).toEqual(['?start=newest&limit=50']);
    const row = screen.getByText('{"id":7,"total":12.5}').closest('tr')!;
    expect(within(row).getByText('16')).toBeInTheDocument();
    expect(within(row).getByText('order-16')).toBeInTheDocument();
    expect(within(row).getAllByText('1')).toHaveLength(2); // partition, headers
    expect(within(row).getByText('29 B')).toBeInTheDocument();

    await user.click(row);
    const drawer = await screen.findByRole('dialog', { name: 'Message 1:16' });
    expect(within(drawer).getByLabelText('Value').textContent).toBe(
      '{\n  "id": 7,\n  "total": 12.5\n}',
    );
    expect(
      within(drawer).getByRole('table', { name: 'Headers' }),
    ).toHaveTextContent('sourceweb');
    expect(
      within(drawer).getByRole('button', { name: 'Copy the value' }),
    ).toBeInTheDocument();
  });

  it('reads from an offset of one partition', async () => {
    const user = userEvent.setup({ delay: null });
    const queries: string[] = [];
    server.use(
      http.get(MESSAGES, ({ request }) => {
        queries.push(new URL(request.url).search);
        return list([]);
      }),
    );
    await render();
    await user.click(screen.getByLabelText('Read'));
    await user.click(
      await screen.findByRole('option', { name: 'From an offset' }),
    );
    await user.click(screen.getByLabelText('Partition'));
    await user.click(await screen.findByRole('option', { name: '1' }));
    await user.clear(screen.getByLabelText('Offset'));
    await user.type(screen.getByLabelText('Offset'), '10');
    await user.click(screen.getByRole('button', { name: 'Read messages' }));
    expect(await screen.findByText('0 messages')).toBeInTheDocument();
    expect(queries).toEqual(['?partition=1&start=offset&offset=10&limit=50']);
  });

  it('filters on the server, shows the scan progress and scans further with the cursor', async () => {
    const user = userEvent.setup({ delay: null });
    const queries: URLSearchParams[] = [];
    server.use(
      http.get(MESSAGES, ({ request }) => {
        const q = new URL(request.url).searchParams;
        queries.push(q);
        if (q.get('jsonPath') === '$.id ==') {
          return errorBody(
            400,
            'InputError',
            'jsonPath: expected a value after "=="',
          );
        }
        return q.get('cursor')
          ? list([message(3, '{"id":7}')], {
              scan: {
                scanned: 2000,
                matched: 1,
                total: 3000,
                remaining: 0,
                cursor: null,
              },
            })
          : list([message(20, '{"id":7}')], {
              scan: {
                scanned: 1000,
                matched: 1,
                total: 3000,
                remaining: 2000,
                cursor: '1:0-2000',
              },
            });
      }),
    );
    await render();
    const path = screen.getByLabelText('JSON path');
    await user.type(path, 'id == 7');
    expect(
      screen.getByText('Starts with $, e.g. $.user.id == 42'),
    ).toBeInTheDocument();
    expect(
      screen.getByRole('button', { name: 'Search messages' }),
    ).toBeDisabled();
    await user.clear(path);
    await user.type(path, '$.id ==');
    await user.click(screen.getByRole('button', { name: 'Search messages' }));
    expect(
      await screen.findByText('Error: jsonPath: expected a value after "=="'),
    ).toBeInTheDocument();

    await user.type(path, ' 7');
    await user.type(screen.getByLabelText('Key is'), 'order-20');
    await user.click(screen.getByRole('button', { name: 'Search messages' }));
    expect(
      await screen.findByText('Scanned 1,000 of 3,000, 1 match'),
    ).toBeInTheDocument();
    expect(queries[1].get('jsonPath')).toBe('$.id == 7');
    expect(queries[1].get('key')).toBe('order-20');

    await user.click(
      screen.getByRole('button', { name: 'Scan further (2,000 left)' }),
    );
    expect(
      await screen.findByText('Scanned 3,000 of 3,000, 2 matches'),
    ).toBeInTheDocument();
    expect(queries[2].get('cursor')).toBe('1:0-2000');
    expect(queries[2].get('jsonPath')).toBe('$.id == 7');
    expect(screen.queryByRole('button', { name: /Scan further/ })).toBeNull();
    expect(screen.getByText('order-20')).toBeInTheDocument();
    expect(screen.getByText('order-3')).toBeInTheDocument();
  });

  it('follows the topic live with the filter and stops when switched off', async () => {
    const user = userEvent.setup({ delay: null });
    const tails: URLSearchParams[] = [];
    server.use(
      http.get(`${MESSAGES}/tail`, ({ request }) => {
        tails.push(new URL(request.url).searchParams);
        return sseResponse([
          {
            event: 'attached',
            data: { partitions: [{ partition: 0, offset: 30 }] },
          },
          { event: 'message', data: message(31, '{"live":true}', 'k-live') },
        ]);
      }),
    );
    await render();
    await user.type(screen.getByLabelText('Value contains'), 'live');
    await user.click(screen.getByRole('checkbox', { name: 'Live' }));
    expect(await screen.findByText('k-live')).toBeInTheDocument();
    expect(tails[0].get('valueContains')).toBe('live');
    // The server ended this stream (the handler's events ran out): said, not hidden.
    expect(
      await screen.findByText('Live tail stopped: the stream closed'),
    ).toBeInTheDocument();
    await user.click(screen.getByRole('checkbox', { name: 'Live' }));
    expect(screen.queryByText('k-live')).toBeNull();
    expect(
      screen.getByRole('button', { name: 'Search messages' }),
    ).toBeEnabled();
  });

  it('says when the live tail reconnects and when it is live again', async () => {
    const user = userEvent.setup({ delay: null });
    // A stream the test feeds one frame at a time, as the backend would.
    const encoder = new TextEncoder();
    let feed!: ReadableStreamDefaultController<Uint8Array>;
    const send = (event: string, data: unknown) =>
      feed.enqueue(
        encoder.encode(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`),
      );
    server.use(
      http.get(
        `${MESSAGES}/tail`,
        () =>
          new HttpResponse(
            new ReadableStream<Uint8Array>({
              start(controller) {
                feed = controller;
              },
            }),
            { headers: { 'Content-Type': 'text/event-stream' } },
          ),
      ),
    );
    await render();
    await user.click(screen.getByRole('checkbox', { name: 'Live' }));
    expect(await screen.findByText('Connecting…')).toBeInTheDocument();
    send('attached', { partitions: [{ partition: 0, offset: 30 }] });
    expect(await screen.findByText('Live: 0 new messages')).toBeInTheDocument();
    send('status', {
      state: 'reconnecting',
      reason: 'Request Fetch(key: 1, version: 11) timed out',
    });
    expect(
      await screen.findByText(
        'Reconnecting… Kafka does not answer (Request Fetch(key: 1, version: 11) timed out); 0 new messages so far',
      ),
    ).toBeInTheDocument();
    send('status', { state: 'live' });
    send('message', message(31, '{"back":true}', 'k-back'));
    expect(await screen.findByText('Live: 1 new message')).toBeInTheDocument();
    expect(screen.getByText('k-back')).toBeInTheDocument();
    feed.close();
  });
});
