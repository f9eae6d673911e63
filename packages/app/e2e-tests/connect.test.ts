// The Kafka Connect page and a connector entity's Connector tab.
import {
  BASE,
  catalogEntityEventually,
  entityUrl,
  expect,
  gotoWithRetry,
  sidebar,
  test,
} from './fixtures';
import { expectTablesFit } from './tablesFit';

test('connect-page', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await gotoWithRetry(page, `${BASE}/`);
  await sidebar(page)
    .getByRole('link', { name: 'Kafka Connect', exact: true })
    .click();
  await expect(page.getByText(/^Connectors \(\d+\)$/)).toBeVisible();
  // #17: class, type, state word, tasks and topics columns; the sample pipeline's file sink.
  for (const title of ['Class', 'Type', 'State', 'Tasks', 'Topics'])
    await expect(
      page.getByRole('columnheader', { name: title, exact: true }),
    ).toBeVisible();
  await page.getByLabel('Filter connectors').fill('sample-file-sink');
  const sink = page.getByRole('row').filter({ hasText: 'sample-file-sink' });
  await expect(sink.getByText('FileStreamSinkConnector')).toHaveAttribute(
    'data-class',
    'org.apache.kafka.connect.file.FileStreamSinkConnector',
  );
  await expect(sink).toContainText('sink');
  await expect(sink.getByText('healthy', { exact: true })).toBeVisible();
  await expect(sink.getByText(/running$/)).toBeVisible();
  await expect(sink.getByText('sample.aggregated')).toBeVisible({
    timeout: 60_000,
  });
  await page.getByLabel('Filter connectors').fill('');
  await expect(page.getByText(/^Connectors \(\d+\)$/)).toBeVisible();
  await expectTablesFit(page, testInfo, 'connect-page');
  // Bulk restart of failed tasks: offered (enabled only when some task failed).
  await expect(
    page.getByRole('button', {
      name: /^Restart all failed tasks \(\d+ connectors?\)…$/,
    }),
  ).toBeVisible();
});

/** The sample pipeline's file sink: its state and the topic it reads. */
test('connector-tab', async ({ page }) => {
  const name = 'sample-file-sink';
  const entity = await catalogEntityEventually(
    `kind=component,spec.type=kafka-connector,metadata.annotations.archon.io/connector=${name}`,
  );
  await gotoWithRetry(page, entityUrl(entity, 'connector'));
  await expect(page.getByText('RUNNING').first()).toBeVisible({
    timeout: 60_000,
  });
  await expect(
    page
      .getByRole('list', { name: `Topics of ${name}` })
      .getByText('sample.aggregated'),
  ).toBeVisible({ timeout: 60_000 });
  await expect(
    page.getByRole('table', { name: 'Connector config' }),
  ).toBeVisible();
});
