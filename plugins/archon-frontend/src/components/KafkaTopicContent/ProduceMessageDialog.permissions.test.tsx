import { screen } from '@testing-library/react';
import { setupServer } from 'msw/node';
import { registerMswTestHooks } from '@backstage/frontend-test-utils';
import { renderArchon } from '../../__testUtils__';
import { MessageViewer } from './MessageViewer';

// Its own file: usePermission caches decisions for the whole test file, so
// after the allowed renders of ProduceMessageDialog.test the button could
// stay enabled.
describe('ProduceMessageDialog without archon.kafka.message.produce', () => {
  const server = setupServer();
  registerMswTestHooks(server);

  it('is disabled for who may not produce', async () => {
    await renderArchon(
      <MessageViewer cluster="local" topic="orders" partitions={2} />,
      { permissions: 'deny' },
    );
    expect(
      await screen.findByRole('button', { name: 'Produce…' }),
    ).toBeDisabled();
  });
});
