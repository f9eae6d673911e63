// The archon page: the health of each system the portal reaches.
import { BASE, expect, gotoWithRetry, sidebar, test } from './fixtures';
import { expectTablesFit } from './tablesFit';

test('systems-page', async ({ page }, testInfo) => {
  await gotoWithRetry(page, `${BASE}/`);
  await sidebar(page)
    .getByRole('link', { name: 'archon', exact: true })
    .click();
  await page.waitForURL(/\/archon$/);
  const table = page.getByRole('table').first();
  await expect(table).toBeVisible();
  // Each kind twice: the embedded profile's environments local and dr.
  for (const kind of ['zookeeper', 'kafka', 'kafka-connect', 'marathon']) {
    for (const name of ['local', 'dr']) {
      const row = table
        .locator('tr', { has: page.getByText(kind, { exact: true }) })
        .filter({ has: page.getByText(name, { exact: true }) });
      await expect(row).toHaveCount(1);
      // innerText, not textContent: the cells' text with separators between them.
      expect(await row.innerText(), `${kind} ${name} is up`).toMatch(/\bup\b/);
    }
  }
  await expectTablesFit(page, testInfo, 'systems-page');
});
