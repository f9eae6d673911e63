// The Gateway page: its routes.
import { BASE, expect, gotoWithRetry, test } from './fixtures';
import { expectTablesFit } from './tablesFit';

test('gateway-page', async ({ page }, testInfo) => {
  await gotoWithRetry(page, `${BASE}/archon/gateway`);
  await expect(page.getByText(/^Routes \(\d+\)$/)).toBeVisible();
  await expect(page.getByRole('row').nth(1)).toBeVisible();
  await expectTablesFit(page, testInfo, 'gateway-page');
});
