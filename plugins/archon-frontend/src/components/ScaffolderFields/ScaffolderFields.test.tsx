import { fireEvent, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { useState, type ComponentType } from 'react';
import { BASE, renderArchon } from '../../__testUtils__';
import { ArchonDeployTargetPicker } from './ArchonDeployTargetPicker';
import { ArchonKafkaClusterPicker } from './ArchonKafkaClusterPicker';
import {
  ArchonTopicPicker,
  validateTopicPickerValue,
} from './ArchonTopicPicker';

/**
 * A field as the scaffolder's form hosts it: its value kept in state, the
 * step's other values in formContext, each change also reported to onValue.
 */
function Host(props: {
  field: ComponentType<any>;
  title: string;
  formData?: Record<string, unknown>;
  onValue: (value: string) => void;
}) {
  const [value, setValue] = useState<string | undefined>();
  const Field = props.field;
  return (
    <Field
      formData={value}
      onChange={(next: string) => {
        setValue(next);
        props.onValue(next);
      }}
      schema={{ type: 'string', title: props.title }}
      uiSchema={{}}
      formContext={{ formData: props.formData ?? {} }}
      rawErrors={[]}
      required
    />
  );
}

describe('scaffolder fields', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('ArchonKafkaClusterPicker offers the configured clusters with their brokers', async () => {
    server.use(
      http.get(`${BASE}/kafka`, () =>
        HttpResponse.json({
          items: [
            { name: 'local', brokers: ['localhost:9092'] },
            { name: 'prod', brokers: ['k1:9092', 'k2:9092'] },
          ],
        }),
      ),
    );
    const onValue = jest.fn();
    await renderArchon(
      <Host
        field={ArchonKafkaClusterPicker}
        title="Kafka cluster"
        onValue={onValue}
      />,
    );
    await userEvent.click(screen.getByLabelText(/Kafka cluster/));
    expect(await screen.findByText('k1:9092, k2:9092')).toBeInTheDocument();
    await userEvent.click(screen.getByText('prod'));
    expect(onValue).toHaveBeenLastCalledWith('prod');
    expect(screen.getByLabelText(/Kafka cluster/)).toHaveValue('prod');
  });

  it('ArchonDeployTargetPicker chooses the only deploy target by itself', async () => {
    server.use(
      http.get(`${BASE}/deploy-targets`, () =>
        HttpResponse.json({
          items: [
            {
              name: 'local',
              kind: 'marathon',
              endpoint: 'http://localhost:8080',
            },
          ],
        }),
      ),
    );
    const onValue = jest.fn();
    await renderArchon(
      <Host
        field={ArchonDeployTargetPicker}
        title="Deploy target"
        onValue={onValue}
      />,
    );
    await waitFor(() => expect(onValue).toHaveBeenCalledWith('local'));
    expect(
      screen.getByText('marathon · http://localhost:8080'),
    ).toBeInTheDocument();
  });

  it('ArchonTopicPicker searches the chosen cluster on the server and accepts a new name', async () => {
    const asked: URLSearchParams[] = [];
    server.use(
      http.get(`${BASE}/kafka/prod/topics`, ({ request }) => {
        const query = new URL(request.url).searchParams;
        asked.push(query);
        const all = ['orders.raw', 'orders.enriched', 'payments'];
        const filter = query.get('filter') ?? '';
        const items = all
          .filter(name => name.includes(filter))
          .map(name => ({ name }));
        return HttpResponse.json({ items, total: items.length });
      }),
    );
    const onValue = jest.fn();
    await renderArchon(
      <Host
        field={ArchonTopicPicker}
        title="Input topic"
        formData={{ kafkaCluster: 'prod' }}
        onValue={onValue}
      />,
    );
    const input = screen.getByLabelText(/Input topic/);
    await userEvent.type(input, 'orders');
    // The list comes from the server's filter, not from all topics.
    await waitFor(() =>
      expect(asked.map(query => query.get('filter'))).toContain('orders'),
    );
    expect(asked.every(query => query.get('limit') === '20')).toBe(true);
    await userEvent.click(await screen.findByText('orders.enriched'));
    expect(onValue).toHaveBeenLastCalledWith('orders.enriched');

    // Leaving the field keeps what was typed, even with options listed.
    await userEvent.clear(input);
    await userEvent.type(input, 'orders');
    expect(await screen.findByText('orders.raw')).toBeInTheDocument();
    await userEvent.tab();
    expect(onValue).toHaveBeenLastCalledWith('orders');

    await userEvent.clear(input);
    await userEvent.type(input, 'orders.new');
    await userEvent.tab();
    expect(onValue).toHaveBeenLastCalledWith('orders.new');
    expect(
      await screen.findByText('New topic: created on prod by the template'),
    ).toBeInTheDocument();
  });

  it("ArchonTopicPicker names Kafka's rule a typed name breaks, and asks for a cluster first", async () => {
    const onValue = jest.fn();
    await renderArchon(
      <Host field={ArchonTopicPicker} title="Input topic" onValue={onValue} />,
    );
    expect(
      screen.getByText('Choose a Kafka cluster to list its topics'),
    ).toBeInTheDocument();
    const input = screen.getByLabelText(/Input topic/);
    await userEvent.type(input, 'bad name');
    fireEvent.blur(input);
    expect(onValue).toHaveBeenLastCalledWith('bad name');
    // archon-common's rule, in the words the API would answer with.
    expect(
      await screen.findByText(
        `topic name "bad name" is illegal: it may contain only ASCII letters, digits, '.', '_' and '-'`,
      ),
    ).toBeInTheDocument();
  });

  it('validateTopicPickerValue checks one name or each name of an array', () => {
    const errors: string[] = [];
    const validation = {
      addError: (message: string) => errors.push(message),
    } as any;
    validateTopicPickerValue(['orders.raw', 'bad name', '..'], validation);
    expect(errors).toEqual([
      `topic name "bad name" is illegal: it may contain only ASCII letters, digits, '.', '_' and '-'`,
      'topic name cannot be ".."',
    ]);
    errors.length = 0;
    validateTopicPickerValue('orders.new', validation);
    validateTopicPickerValue(undefined, validation);
    expect(errors).toEqual([]);
  });
});
