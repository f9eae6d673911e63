// The catalog (at /catalog; the landing page / is archon's Home) and the sidebar.
import {
  BASE,
  catalogEntityEventually,
  expect,
  gotoWithRetry,
  sidebar,
  test,
} from './fixtures';
import { expectTablesFit } from './tablesFit';

test.beforeEach(async ({ page }) => {
  await gotoWithRetry(page, `${BASE}/`);
});

test('catalog', async ({ page }) => {
  // A freshly started portal's catalog fills with its first processing
  // loop: wait (with a deadline) for a component before looking at the table.
  await catalogEntityEventually('kind=component');
  await sidebar(page)
    .getByRole('link', { name: 'Catalog', exact: true })
    .click();
  // Backstage's catalog starts on "Owned" when the signed-in user owns an
  // entity and falls back to "All" when the owned count is 0, which depends
  // on what the catalog has read so far (CI saw both): either heading, then
  // a row.
  await expect(
    page.getByText(/^(All|Owned) (components|resources|systems|apis)/i).first(),
  ).toBeVisible();
  await expect(page.locator('table tbody tr:visible').first()).toBeVisible();
});

// #18: an app's catalog graph reads as data flow, producer → topic →
// consumer: on the sample enricher's page its input topic is drawn left of it
// and its output topic right of it (positions of the card's SVG nodes).
test('catalog-graph-reads-data-flow', async ({ page }, testInfo) => {
  // The card draws the entities the catalog holds: on a freshly started
  // portal the Kafka provider's topics can come a processing loop after the
  // Marathon provider's app (the first CI run found sample.raw missing for
  // 30 s), so wait for all three, and reload until the card has drawn them.
  for (const filter of [
    'kind=component,metadata.name=local.sample.pipeline.enricher',
    'kind=resource,metadata.name=local.sample.raw',
    'kind=resource,metadata.name=local.sample.enriched',
  ])
    await catalogEntityEventually(filter);
  const node = (ref: string) =>
    page
      .locator('[data-testid="node"]')
      .filter({
        has: page.locator('title', { hasText: new RegExp(`^${ref}$`) }),
      })
      .first();
  const enricher = node('component:default/local.sample.pipeline.enricher');
  const raw = node('resource:default/local.sample.raw');
  const enriched = node('resource:default/local.sample.enriched');
  await expect(async () => {
    await gotoWithRetry(
      page,
      `${BASE}/catalog/default/component/local.sample.pipeline.enricher`,
    );
    for (const n of [enricher, raw, enriched])
      await expect(n).toBeVisible({ timeout: 15_000 });
  }).toPass({ timeout: 150_000 });
  const centre = async (n: typeof raw) => {
    const box = (await n.boundingBox())!;
    return box.x + box.width / 2;
  };
  const [xRaw, xApp, xEnriched] = [
    await centre(raw),
    await centre(enricher),
    await centre(enriched),
  ];
  expect(xRaw).toBeLessThan(xApp);
  expect(xApp).toBeLessThan(xEnriched);
  await expectTablesFit(page, testInfo, 'catalog-graph-enricher-fit');
});

test('sidebar-entries', async ({ page }) => {
  const nav = sidebar(page);
  for (const name of [
    'archon',
    'Configuration',
    'Kafka',
    'Kafka Connect',
    'ZooKeeper',
    'Marathon',
    'Gateway',
    'Pipelines',
  ]) {
    await expect(
      nav.getByRole('link', { name, exact: true }).first(),
    ).toBeVisible();
  }
});
