// The catalog (at /catalog; the landing page / is archon's Home) and the sidebar.
import {
  BASE,
  catalogEntityEventually,
  expect,
  gotoWithRetry,
  sidebar,
  test,
} from './fixtures';

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
