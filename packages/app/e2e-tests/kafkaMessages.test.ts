// A topic's messages on its page (#17): produce in the form, find the record
// with the server-side filter, and see a new one arrive in the live tail, on
// the local Kafka. The topic is the test's own, created and deleted here.
import { api, BASE, expect, gotoWithRetry, shot, test } from './fixtures';
import { expectTablesFit } from './tablesFit';

test('kafka-messages', async ({ page }, testInfo) => {
  const topic = `archon-e2e-messages-${Date.now().toString(36)}`;
  const messages = `/kafka/local/topics/${topic}/messages`;
  const created = await api('POST', '/kafka/local/topics', {
    name: topic,
    partitions: 2,
    replicationFactor: 1,
  });
  expect(created.status).toBe(201);
  try {
    // Records the filter must pass over; the new topic's leader may take a
    // moment to be known (404 until then).
    await expect
      .poll(
        async () =>
          (
            await api('POST', messages, {
              value: '{"user":{"id":1}}',
              count: 20,
            })
          ).status,
        { timeout: 30_000 },
      )
      .toBe(201);
    await gotoWithRetry(page, `${BASE}/archon/kafka/local/topics/${topic}`);

    await page.getByRole('button', { name: 'Produce…' }).click();
    const form = page.getByRole('dialog');
    await form
      .getByRole('textbox', { name: 'Key', exact: true })
      .fill('e2e-form');
    await form
      .getByRole('textbox', { name: 'Value', exact: true })
      .fill('{"user":{"id":42},"note":"from the form"}');
    await form.getByRole('button', { name: 'Produce', exact: true }).click();
    await expect(
      form.getByText(/^Produced 1 message: partition \d from offset \d+\.$/),
    ).toBeVisible();
    await form.getByRole('button', { name: 'Close' }).click();

    await page.getByLabel('JSON path').fill('$.user.id == 42');
    await page.getByRole('button', { name: 'Search messages' }).click();
    await expect(page.getByText('Scanned 21 of 21, 1 match')).toBeVisible();
    await expect(page.getByText('e2e-form', { exact: true })).toBeVisible();
    // The one match; the noise ({"user":{"id":1}}) is left out.
    await expect(
      page.getByRole('row').filter({ hasText: '{"user":' }),
    ).toHaveCount(1);
    await expectTablesFit(page, testInfo, 'kafka-messages-filter');

    await page.getByRole('checkbox', { name: 'Live' }).check();
    await expect(
      page.getByText('Live: 0 new messages matching the filter'),
    ).toBeVisible();
    // Produced first and not matching the filter: by the time the match
    // shows, the tail has passed it, and it was not shown.
    const other = await api('POST', messages, {
      key: 'e2e-other',
      value: '{"user":{"id":7}}',
    });
    expect(other.status).toBe(201);
    const live = await api('POST', messages, {
      key: 'e2e-live',
      value: '{"user":{"id":42},"note":"live"}',
    });
    expect(live.status).toBe(201);
    await expect(page.getByText('e2e-live', { exact: true })).toBeVisible();
    await expect(
      page.getByText('Live: 1 new message matching the filter'),
    ).toBeVisible();
    await expect(page.getByText('e2e-other', { exact: true })).toHaveCount(0);
    await shot(page, testInfo, 'kafka-messages-live');
  } finally {
    await api('DELETE', `/kafka/local/topics/${topic}?confirm=${topic}`);
  }
});
