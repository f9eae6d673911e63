import { screen } from '@testing-library/react';
import { http, HttpResponse } from 'msw';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { BASE, healthHandler, renderArchon } from '../../__testUtils__';
import { connector, connectorEntity } from '../../__testUtils__/connect';
import { EntityConnectorContent } from './EntityConnectorContent';

// Its own file: usePermission caches decisions for the whole test file.
describe('EntityConnectorContent without archon.connect.connector.manage', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('shows the connector and disables every action and saving', async () => {
    const CONNECTOR = `${BASE}/connect/local/connectors/orders-sink`;
    server.use(
      healthHandler(),
      http.get(CONNECTOR, () => HttpResponse.json(connector)),
      http.get(`${CONNECTOR}/topics`, () =>
        HttpResponse.json({ name: 'orders-sink', topics: ['orders'] }),
      ),
    );
    await renderArchon(
      <EntityProvider entity={connectorEntity}>
        <EntityConnectorContent />
      </EntityProvider>,
      { permissions: 'deny' },
    );
    expect(await screen.findByText('Tasks (2)')).toBeInTheDocument();
    expect(
      await screen.findByText(/You may not manage connectors/),
    ).toBeInTheDocument();
    for (const name of [
      'Restart all',
      'Restart failed',
      'Pause',
      'Stop',
      'Restart task 0',
      'Restart task 1',
      'Validate',
      'Save config',
    ]) {
      expect(screen.getByRole('button', { name })).toBeDisabled();
    }
    expect(
      screen.getByText(/You may not change connectors/),
    ).toBeInTheDocument();
  });
});
