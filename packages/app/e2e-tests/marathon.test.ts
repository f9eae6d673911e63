// The Marathon page: its apps (the demo app when it runs) and deployments.
import { api, BASE, expect, gotoWithRetry, sidebar, test } from './fixtures';

/** The deploy tests' demo app (deploy.test.ts), shown when it runs. */
const DEMO_PATH = '/e2e-portal/demo';

test('marathon-page', async ({ page }) => {
  await gotoWithRetry(page, `${BASE}/`);
  await sidebar(page)
    .getByRole('link', { name: 'Marathon', exact: true })
    .click();
  await expect(page.getByText(/^Apps \(\d+\)$/)).toBeVisible();
  const apps = await api('GET', '/marathon/local/apps');
  const ids: string[] = (apps.body?.items ?? []).map(
    (a: { id: string }) => a.id,
  );
  const wanted = ids.includes(DEMO_PATH) ? DEMO_PATH : ids.sort()[0];
  expect(wanted, 'an app Marathon runs').toBeTruthy();
  await page.getByLabel('Filter apps').fill(wanted);
  await expect(
    page
      .getByRole('cell', { name: wanted, exact: true })
      .or(page.getByRole('link', { name: wanted, exact: true }))
      .first(),
  ).toBeVisible();
  await expect(
    page.getByText(/No deployment in progress\.|Deployments in flight/).first(),
  ).toBeVisible();
});
