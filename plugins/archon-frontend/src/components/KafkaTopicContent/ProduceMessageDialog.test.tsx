import { screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { BASE, renderArchon } from '../../__testUtils__';
import { MessageViewer } from './MessageViewer';
import { holdsSecret, parseHeaders } from './ProduceMessageDialog';

const server = setupServer();
registerMswTestHooks(server);

/** Opens the form (its button shows once the permission is known). */
async function openForm(user: ReturnType<typeof userEvent.setup>) {
  await user.click(await screen.findByRole('button', { name: 'Produce…' }));
}

const render = (permissions: 'allow' | 'deny' = 'allow') =>
  renderArchon(
    <MessageViewer cluster="local" topic="orders" partitions={2} />,
    {
      permissions,
    },
  );

describe('ProduceMessageDialog', () => {
  it('checks JSON and headers, sends key, value, headers, partition and copies, and clears a value that names a secret', async () => {
    const user = userEvent.setup({ delay: null });
    const bodies: unknown[] = [];
    server.use(
      http.post(
        `${BASE}/kafka/local/topics/orders/messages`,
        async ({ request }) => {
          bodies.push(await request.json());
          return HttpResponse.json(
            {
              topic: 'orders',
              partition: 1,
              offset: 40,
              count: 3,
              written: [{ partition: 1, offset: 40 }],
            },
            { status: 201 },
          );
        },
      ),
    );
    await render();
    await openForm(user);
    const value = await screen.findByLabelText('Value');
    await user.click(value);
    await user.paste('{"user": 1,');
    expect(screen.getByText(/^Not JSON/)).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Produce' })).toBeDisabled();
    await user.paste(' "db": {"password": "hunter2"}}');
    await user.type(screen.getByLabelText('Key'), 'k1');
    await user.click(screen.getByLabelText('Headers'));
    await user.paste('no-equals');
    expect(screen.getByText('Line 1: name=value')).toBeInTheDocument();
    await user.clear(screen.getByLabelText('Headers'));
    await user.paste('trace=t-1');
    await user.click(
      within(screen.getByRole('dialog')).getByLabelText('Partition'),
    );
    await user.click(await screen.findByRole('option', { name: '1' }));
    await user.clear(screen.getByLabelText('Copies'));
    await user.type(screen.getByLabelText('Copies'), '101');
    expect(screen.getByText('1 to 100')).toBeInTheDocument();
    await user.clear(screen.getByLabelText('Copies'));
    await user.type(screen.getByLabelText('Copies'), '3');
    await user.click(screen.getByRole('button', { name: 'Produce' }));

    expect(
      await screen.findByText(
        'Produced 3 messages: partition 1 from offset 40. The value named a secret and was cleared from the form.',
      ),
    ).toBeInTheDocument();
    expect(bodies).toEqual([
      {
        key: 'k1',
        value: '{"user": 1, "db": {"password": "hunter2"}}',
        headers: { trace: 't-1' },
        count: 3,
        partition: 1,
      },
    ]);
    expect(screen.getByLabelText('Value')).toHaveValue('');
    expect(screen.queryByDisplayValue(/hunter2/)).toBeNull();
  });

  it('keeps a value without secrets for the next send', async () => {
    const user = userEvent.setup({ delay: null });
    server.use(
      http.post(`${BASE}/kafka/local/topics/orders/messages`, () =>
        HttpResponse.json(
          { topic: 'orders', partition: 0, offset: 5, count: 1 },
          { status: 201 },
        ),
      ),
    );
    await render();
    await openForm(user);
    await user.click(await screen.findByLabelText('Value is'));
    await user.click(await screen.findByRole('option', { name: 'Text' }));
    await user.type(screen.getByLabelText('Value'), 'hello');
    await user.click(screen.getByRole('button', { name: 'Produce' }));
    expect(
      await screen.findByText('Produced 1 message: partition 0 from offset 5.'),
    ).toBeInTheDocument();
    expect(screen.getByLabelText('Value')).toHaveValue('hello');
  });

  it('finds secrets the way archon masks them and reads headers', () => {
    expect(holdsSecret('{"a":{"apiToken":"x"}}')).toBe(true);
    expect(holdsSecret('db.password=x')).toBe(true);
    expect(holdsSecret('{"user":1}')).toBe(false);
    expect(holdsSecret('plain text')).toBe(false);
    expect(parseHeaders('a=1\n\nb = x=y')).toEqual({
      headers: { a: '1', b: ' x=y' },
    });
    expect(parseHeaders('a=1\n=2')).toEqual({ problem: 'Line 2: name=value' });
  });
});
