// The Gateway page: its routes.
import { BASE, expect, gotoWithRetry, test } from './fixtures';

test('gateway-page', async ({ page }) => {
  await gotoWithRetry(page, `${BASE}/archon/gateway`);
  await expect(page.getByText(/^Routes \(\d+\)$/)).toBeVisible();
});
