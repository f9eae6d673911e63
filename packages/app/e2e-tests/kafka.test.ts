// The Kafka page and a topic entity's Kafka tab (archon's Kafka provider
// makes the entities; a test waits for its first run, with a deadline).
import {
  BASE,
  api,
  catalogEntitiesEventually,
  catalogEntityEventually,
  entityUrl,
  expect,
  gotoWithRetry,
  log,
  shot,
  sidebar,
  test,
} from './fixtures';
import { expectTablesFit } from './tablesFit';

test('kafka-page', async ({ page }) => {
  await gotoWithRetry(page, `${BASE}/`);
  await sidebar(page).getByRole('link', { name: 'Kafka', exact: true }).click();
  await expect(page.getByText(/^Topics \(\d+\)$/)).toBeVisible();
  await expect(page.locator('table tbody tr').first()).toBeVisible();
  // Topics with a catalog entity link to it. The page opens on the first
  // configured cluster (local); a topic of dr is one picker choice away
  // (clusterPicker.test), so the topic is one of local's.
  const [linked] = await catalogEntitiesEventually(
    'kind=resource,spec.type=kafka-topic,metadata.annotations.archon.io/kafka-cluster=local',
  );
  const topic = linked.metadata.annotations!['archon.io/kafka-topic'];
  await page.getByLabel('Filter topics').fill(topic);
  await expect(
    page.getByRole('link', { name: topic, exact: true }),
  ).toBeVisible();
});

test('topic-entity-tab', async ({ page }) => {
  const topics = await catalogEntitiesEventually(
    'kind=resource,spec.type=kafka-topic',
  );
  const entity =
    topics.find(e =>
      e.metadata.annotations?.['archon.io/kafka-topic']?.startsWith(
        'archon-connect-status',
      ),
    ) ?? topics[0];
  const topic = entity.metadata.annotations!['archon.io/kafka-topic'];
  await gotoWithRetry(page, entityUrl(entity, 'kafka'));
  await expect(page.getByText('Config overrides')).toBeVisible();
  await expect(
    page
      .getByRole('cell', { name: topic, exact: true })
      .or(page.getByText(topic, { exact: true }))
      .first(),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Read messages' }).click();
  await expect(
    page.getByText(/^\d+ messages?( \(stopped early.*\))?$/),
  ).toBeVisible();
});

// The sample pipeline's middle topic: the enricher writes it, the aggregator reads it.
test('topic-producers-consumers', async ({ page }) => {
  // Filtered by its annotation: the shared cluster has more topics than one page of answers.
  const enriched = await catalogEntityEventually(
    'kind=resource,spec.type=kafka-topic,metadata.annotations.archon.io/kafka-topic=sample.enriched',
  );
  await gotoWithRetry(page, entityUrl(enriched, 'kafka'));
  const producers = page.getByRole('table', {
    name: 'Producers of sample.enriched',
  });
  const consumers = page.getByRole('table', {
    name: 'Consumers of sample.enriched',
  });
  // Each linked to its catalog entity.
  await expect(
    producers.getByRole('link', { name: '/sample/pipeline/enricher' }),
  ).toBeVisible();
  await expect(
    consumers.getByRole('link', { name: '/sample/pipeline/aggregator' }),
  ).toBeVisible();
  await page.getByText('Producers and consumers').scrollIntoViewIfNeeded();
});

// A topic created a moment ago opens on its own page: the page reads the
// cluster, so no catalog refresh is waited for (#17).
test('topic-page-opens-at-once', async ({ page }) => {
  const topic = `e2e-topic-page-${Date.now()}`;
  const created = await api('POST', '/kafka/local/topics', {
    name: topic,
    partitions: 2,
    replicationFactor: 1,
  });
  expect(created.status).toBe(201);
  try {
    const started = Date.now();
    await gotoWithRetry(page, `${BASE}/archon/kafka/local/topics/${topic}`);
    await expect(page.getByRole('heading', { name: topic })).toBeVisible();
    await expect(page.getByText('Config overrides')).toBeVisible();
    log(
      `topic page of a new topic showed its configs after ${
        Date.now() - started
      } ms`,
    );
    await expect(
      page.getByRole('link', { name: `All topics of local` }).first(),
    ).toBeVisible();
    // A topic Kafka does not have: a clear 404, not a spinner.
    await gotoWithRetry(
      page,
      `${BASE}/archon/kafka/local/topics/${topic}-none`,
    );
    await expect(
      page.getByText(
        new RegExp(`Topic ${topic}-none not found on cluster local`),
      ),
    ).toBeVisible();
  } finally {
    await api('DELETE', `/kafka/local/topics/${topic}?confirm=${topic}`);
  }
});

test('kafka-topic-list-columns', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await gotoWithRetry(page, `${BASE}/archon/kafka?cluster=local&tab=topics`);
  await expect(page.getByText(/^Topics \(\d+\)$/)).toBeVisible();
  for (const column of ['Size', 'Retention', 'Rate', 'Max lag']) {
    await expect(
      page.getByRole('columnheader', { name: column }),
    ).toBeVisible();
  }
  await page.getByLabel('Filter topics').fill('sample.');
  await expect(
    page.getByRole('link', { name: 'sample.enriched', exact: true }),
  ).toBeVisible();
  // Sorted on the server by messages, most first.
  await page.getByRole('columnheader', { name: 'Messages' }).click();
  await page.getByRole('columnheader', { name: 'Messages' }).click();
  await expect(page.locator('table tbody tr').first()).toBeVisible();
  await expectTablesFit(page, testInfo, 'kafka-topics');

  // A name longer than its column (it made the list 1,218 px wide in its
  // 1,168 px card): it ends in an ellipsis and the table still fits.
  const long = `e2e-a-topic-name-longer-than-its-column-${Date.now()}`;
  const created = await api('POST', '/kafka/local/topics', {
    name: long,
    partitions: 1,
    replicationFactor: 1,
  });
  expect(created.status).toBe(201);
  try {
    await page.getByLabel('Filter topics').fill(long);
    await expect(page.getByRole('link', { name: long })).toBeVisible();
    await expectTablesFit(page, testInfo, 'kafka-topics-long-name');
  } finally {
    await api('DELETE', `/kafka/local/topics/${long}?confirm=${long}`);
  }
});

test('consumer-group-lag-chart', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  // The sample pipeline's aggregator group, sampled once a minute since the
  // portal started. The dialog reads the history once, and draws it from two
  // samples on: wait for them (up to three sampler minutes) before opening it,
  // or a run soon after the portal's start sees "No lag history yet".
  await expect
    .poll(
      async () =>
        (
          await api(
            'GET',
            '/kafka/local/consumer-groups/sample-aggregator/lag-history?minutes=60',
          )
        ).body.items?.length ?? 0,
      { timeout: 180_000, intervals: [5_000] },
    )
    .toBeGreaterThanOrEqual(2);
  await gotoWithRetry(
    page,
    `${BASE}/archon/kafka?cluster=local&tab=groups&group=sample-aggregator`,
  );
  const dialog = page.getByRole('dialog', {
    name: 'Consumer group sample-aggregator',
  });
  await expect(dialog.getByTestId('group-lag-history')).toBeVisible({
    timeout: 60_000,
  });
  await expect(
    dialog.locator('[data-testid=group-lag-history] svg'),
  ).toBeVisible();
  await expect(dialog.getByText(/^Lag over the last 60 min/)).toBeVisible();
  await shot(page, testInfo, 'kafka-group-lag-chart');
});

test('kafka-topic-page-tables', async ({ page }, testInfo) => {
  // The sample pipeline's first topic: the appender adds a record a second,
  // so the newest 50 are always there to read.
  await gotoWithRetry(page, `${BASE}/archon/kafka/local/topics/sample.raw`);
  await expect(
    page.getByRole('columnheader', { name: 'In sync' }),
  ).toBeVisible();
  await expect(page.getByText('Writes to sample.raw')).toBeVisible();
  await page.getByRole('button', { name: 'Read messages' }).click();
  const offset = page.getByRole('columnheader', { name: 'Offset' });
  await expect(offset).toBeVisible();
  const table = page.locator('table').filter({ has: offset });
  await expect(table.locator('tbody tr')).toHaveCount(50);
  await expectTablesFit(page, testInfo, 'kafka-topic-page');

  // A long list scrolls under its header: the header row stays in view.
  const rows = table.locator('tbody tr');
  const box = await table.evaluateHandle(t => {
    let el = t.parentElement;
    while (el && !/(auto|scroll)/.test(getComputedStyle(el).overflowY))
      el = el.parentElement;
    return el!;
  });
  const scrollable = await box.evaluate(
    el => el.scrollHeight > el.clientHeight + 1,
  );
  expect(scrollable, 'the 50 rows scroll in the table’s own box').toBe(true);
  await rows.last().scrollIntoViewIfNeeded();
  await expect(rows.last()).toBeInViewport();
  await expect(rows.first()).not.toBeInViewport();
  await expect(offset).toBeInViewport();
  // Sticking means on top of the rows, at the top of the scrolled box.
  const [headerTop, boxTop] = await Promise.all([
    offset.evaluate(el => el.getBoundingClientRect().top),
    box.evaluate(el => el.getBoundingClientRect().top),
  ]);
  expect(Math.abs(headerTop - boxTop)).toBeLessThanOrEqual(2);
  await shot(page, testInfo, 'kafka-topic-page-scrolled');
});

// #20: the sample's aggregates mirrored to the second environment (dr) by
// MirrorMaker 2. The graph's mirrors edge links the two clusters' topics,
// declared by the connector and observed by the replica's end offsets, impact
// crosses to dr's archiver, and the replica's page on dr reads what crossed.
test('kafka-mirror-crosses-clusters', async ({ page }, testInfo) => {
  const source = 'topic:local/sample.aggregated';
  const replica = 'topic:dr/local.sample.aggregated';
  // The lag sampler gives the topics their rates once a minute.
  await expect
    .poll(
      async () => {
        const { body } = await api(
          'GET',
          `/graph/nodes/${encodeURIComponent(source)}`,
        );
        const edge = body.edges?.find(
          (e: { kind: string; to: string }) =>
            e.kind === 'mirrors' && e.to === replica,
        );
        return edge
          ? {
              declared: edge.evidence?.declared ?? [],
              observed: (edge.evidence?.observed ?? []).some((o: string) =>
                o.startsWith(
                  'end offsets of local.sample.aggregated on dr move',
                ),
              ),
              drift: edge.drift ?? null,
            }
          : null;
      },
      { timeout: 180_000, intervals: [2000] },
    )
    .toEqual({
      declared: [
        'connector sample-mirror-dr: config topics=sample.aggregated (DefaultReplicationPolicy, local.)',
      ],
      observed: true,
      drift: null,
    });
  const { body: impact } = await api(
    'GET',
    `/graph/impact/${encodeURIComponent(source)}`,
  );
  expect(
    impact.affected.map((a: { node: { id: string } }) => a.node.id),
  ).toContain('app:dr/sample/dr/archiver');

  await gotoWithRetry(
    page,
    `${BASE}/archon/kafka/dr/topics/local.sample.aggregated`,
  );
  // The replica's flow card names its source on the other cluster.
  await expect(
    page
      .getByRole('table', { name: 'Mirrors of local.sample.aggregated' })
      .locator('tbody tr')
      .filter({ hasText: 'source on local' })
      .filter({ hasText: 'sample.aggregated' }),
  ).toHaveCount(1);
  await page.getByRole('button', { name: 'Read messages' }).click();
  const offset = page.getByRole('columnheader', { name: 'Offset' });
  await expect(offset).toBeVisible();
  const table = page.locator('table').filter({ has: offset });
  // The aggregator's lines, as the local sink writes them.
  await expect(
    table
      .locator('tbody tr')
      .filter({ hasText: /count=\d+ words=\d+/ })
      .first(),
  ).toBeVisible();
  await expectTablesFit(page, testInfo, 'kafka-mirror-replica-page');
});
