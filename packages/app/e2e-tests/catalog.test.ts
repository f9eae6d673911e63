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
  await expect(
    page.getByText(/^All (components|resources|systems|apis)/i).first(),
  ).toBeVisible();
  await expect(page.locator('table tbody tr:visible').first()).toBeVisible();
});

// #18: an app's catalog graph reads as data flow, producer → topic →
// consumer: on the sample enricher's page its input topic is drawn left of it
// and its output topic right of it (positions of the card's SVG nodes).
test('catalog-graph-reads-data-flow', async ({ page }, testInfo) => {
  await catalogEntityEventually(
    'kind=component,metadata.name=local.sample.pipeline.enricher',
  );
  await gotoWithRetry(
    page,
    `${BASE}/catalog/default/component/local.sample.pipeline.enricher`,
  );
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
  for (const n of [enricher, raw, enriched]) await expect(n).toBeVisible();
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
