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

test('connect-page', async ({ page }) => {
  await gotoWithRetry(page, `${BASE}/`);
  await sidebar(page)
    .getByRole('link', { name: 'Kafka Connect', exact: true })
    .click();
  await expect(page.getByText(/^Connectors \(\d+\)$/)).toBeVisible();
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
