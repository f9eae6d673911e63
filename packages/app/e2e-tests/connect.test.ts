// The Kafka Connect page and a connector entity's Connector tab.
import {
  api,
  BASE,
  catalogEntityEventually,
  entityUrl,
  expect,
  gotoWithRetry,
  shot,
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

/**
 * #17: a connector whose task really fails on the shared Connect (a file
 * sink writing into a folder that does not exist fails in its task's start),
 * seen from the Home page's landing `?state=FAILED`: its row, "1 failed",
 * and Connect's Java trace in the dialog. The connector is removed after.
 */
test('connect-failure-trace', async ({ page }, testInfo) => {
  const name = `e2e-failing-sink-${Date.now()}`;
  const missing = `/nonexistent-archon-e2e/${name}/out.txt`;
  const created = await api('POST', '/connect/local/connectors', {
    name,
    config: {
      'connector.class':
        'org.apache.kafka.connect.file.FileStreamSinkConnector',
      'tasks.max': '1',
      topics: 'sample.aggregated',
      file: missing,
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  try {
    // Connect starts the task a moment after the create: wait until it has failed.
    await expect
      .poll(
        async () =>
          (
            await api('GET', `/connect/local/connectors/${name}`)
          ).body?.tasks?.[0]?.state,
        { timeout: 60_000 },
      )
      .toBe('FAILED');
    await page.setViewportSize({ width: 1440, height: 900 });
    await gotoWithRetry(page, `${BASE}/archon/connect?state=FAILED`);
    const row = page.getByRole('row').filter({ hasText: name });
    await expect(row).toBeVisible({ timeout: 60_000 });
    await expect(row.getByText('0/1 running')).toBeVisible();
    // Only failing connectors are listed: the healthy sample sink is not.
    await expect(
      page.getByRole('row').filter({ hasText: 'sample-file-sink' }),
    ).toHaveCount(0);
    await expectTablesFit(page, testInfo, 'connect-failure-trace');
    await row
      .getByRole('button', { name: `Failure traces of ${name}` })
      .click();
    const dialog = page.getByRole('dialog', {
      name: `Failures of ${name} on local`,
    });
    await expect(dialog).toBeVisible();
    const trace = dialog.getByLabel('Failure trace of task 0');
    await expect(trace).toContainText(
      `org.apache.kafka.connect.errors.ConnectException: Couldn't find or create file '${missing}'`,
    );
    await expect(trace).toContainText(
      'at org.apache.kafka.connect.file.FileStreamSinkTask.start',
    );
    await expect(trace).toContainText('java.nio.file.NoSuchFileException');
    // The screenshot once the dialog has faded in (not half transparent).
    await expect(dialog.locator('xpath=..')).toHaveCSS('opacity', '1');
    await shot(page, testInfo, 'connect-failure-trace-dialog');
    await dialog.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toBeHidden();
  } finally {
    const removed = await api('DELETE', `/connect/local/connectors/${name}`);
    expect([200, 404]).toContain(removed.status);
  }
});
