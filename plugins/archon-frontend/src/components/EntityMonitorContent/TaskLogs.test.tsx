import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { BASE, renderArchon } from '../../__testUtils__';
import { TaskLogs } from './TaskLogs';

const LOGS_URL = `${BASE}/marathon/local/apps/team%2Fsvc-1/tasks/t1/logs`;

/** An event stream that sends the given log chunks and stays open, as following does. */
function openLogStream(chunks: object[]) {
  const encoder = new TextEncoder();
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks)
        controller.enqueue(
          encoder.encode(`event: log\ndata: ${JSON.stringify(chunk)}\n\n`),
        );
    },
  });
  return new HttpResponse(stream, {
    headers: { 'Content-Type': 'text/event-stream; charset=utf-8' },
  });
}

describe('TaskLogs', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  function setup() {
    const reads: string[] = [];
    const signals: AbortSignal[] = [];
    server.use(
      http.get(LOGS_URL, ({ request }) => {
        const q = new URL(request.url).searchParams;
        const accept = request.headers.get('accept') ?? '';
        reads.push(`${q.toString()} ${accept}`);
        if (q.get('follow') === 'true' && accept === 'text/event-stream') {
          return openLogStream([
            { offset: 0, nextOffset: 6, size: 6, data: 'first\n' },
            { offset: 6, nextOffset: 13, data: 'second\n' },
          ]);
        }
        return HttpResponse.json({
          taskId: 't1',
          file: 'stdout',
          offset: Number(q.get('offset')),
          nextOffset: 20,
          size: 20,
          data: 'read once\n',
        });
      }),
    );
    const fetchSpy: typeof fetch = (input, init) => {
      if (init?.signal) signals.push(init.signal);
      return fetch(input, init);
    };
    return { reads, signals, fetchSpy };
  }

  it('follows over Server-Sent Events and stops the stream when follow is switched off', async () => {
    const user = userEvent.setup({ delay: null });
    const { reads, signals, fetchSpy } = setup();
    await renderArchon(
      <TaskLogs
        instance="local"
        appId="/team/svc-1"
        taskId="t1"
        onClose={() => {}}
      />,
      { fetch: fetchSpy },
    );
    const log = await screen.findByLabelText('stdout of t1');
    await waitFor(() => expect(log).toHaveTextContent('first second'));
    expect(reads).toEqual([
      'file=stdout&tail=16384&follow=true text/event-stream',
    ]);
    expect(
      screen.getByText('stdout, 13 bytes, following live'),
    ).toBeInTheDocument();
    expect(signals).toHaveLength(1);
    expect(signals[0].aborted).toBe(false);

    await user.click(screen.getByRole('checkbox', { name: 'Follow' }));
    await waitFor(() =>
      expect(log).toHaveTextContent('first second read once'),
    );
    expect(signals[0].aborted).toBe(true);
    // The one read after the toggle goes on from where the stream ended.
    expect(reads[1]).toMatch(/^file=stdout&offset=13 /);
    expect(reads).toHaveLength(2);
    expect(screen.getByText('stdout, 20 bytes')).toBeInTheDocument();
  });

  it('stops following when the logs are closed', async () => {
    const { signals, fetchSpy } = setup();
    const rendered = await renderArchon(
      <TaskLogs
        instance="local"
        appId="/team/svc-1"
        taskId="t1"
        onClose={() => {}}
      />,
      { fetch: fetchSpy },
    );
    const log = await screen.findByLabelText('stdout of t1');
    await waitFor(() => expect(log).toHaveTextContent('first second'));
    expect(signals[0].aborted).toBe(false);
    rendered.unmount();
    expect(signals[0].aborted).toBe(true);
  });
});
