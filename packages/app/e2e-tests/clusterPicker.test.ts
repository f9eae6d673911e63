// The cluster picker (#20), one component on the Kafka, Connect, ZooKeeper
// and Marathon pages, against the embedded profile's two environments
// (local and dr): it switches what each page reads, the URL keeps the
// choice through a reload, the Systems page's Manage links land on their
// cluster, and the Marathon page's deploy offers the instance it shows.
// One file for the one component: each page's own file tests the page.
import type { Page } from '@playwright/test';
import { api, BASE, expect, gotoWithRetry, shot, test } from './fixtures';
import { expectTablesFit } from './tablesFit';

const ROOT = `/e2e-picker-${Date.now().toString(36)}`;
const APP_PATH = `${ROOT}/app`;

test.afterAll(async () => {
  await api(
    'DELETE',
    `/config/sets${ROOT}?prune=true&recursive=true&force=true`,
  ).catch(() => {});
});

/** Picks `name` in the page's cluster picker (labelled e.g. "Kafka cluster"). */
async function pick(page: Page, label: string, name: string) {
  await page.getByRole('button', { name: new RegExp(`^${label}`) }).click();
  await page.getByRole('option', { name, exact: true }).click();
}

const picker = (page: Page, label: string) =>
  page.getByRole('button', { name: new RegExp(`^${label}`) });

const clusterParam = (page: Page) =>
  new URL(page.url()).searchParams.get('cluster');

test('cluster-picker-kafka', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const dr = page.waitForResponse(r =>
    r.url().includes('/api/archon/kafka/dr/topics'),
  );
  await gotoWithRetry(page, `${BASE}/archon/kafka?cluster=dr`);
  expect((await dr).status()).toBe(200);
  await expect(picker(page, 'Kafka cluster')).toContainText('dr');
  await expect(page.getByText(/^Topics \(\d+\)$/)).toBeVisible();

  const local = page.waitForResponse(r =>
    r.url().includes('/api/archon/kafka/local/topics'),
  );
  await pick(page, 'Kafka cluster', 'local');
  expect((await local).status()).toBe(200);
  expect(clusterParam(page)).toBe('local');
  await page.reload();
  await expect(picker(page, 'Kafka cluster')).toContainText('local');
  await expect(page.getByText(/^Topics \(\d+\)$/)).toBeVisible();
  await expectTablesFit(page, testInfo, 'cluster-picker-kafka');
});

test('cluster-picker-connect', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const count = async (cluster: string) =>
    (await api('GET', `/connect/${cluster}/connectors?limit=1000`)).body.items
      .length as number;
  await gotoWithRetry(page, `${BASE}/archon/connect`);
  await expect(picker(page, 'Connect cluster')).toContainText('All clusters');
  const all = (await count('local')) + (await count('dr'));
  await expect(page.getByText(`Connectors (${all})`)).toBeVisible();

  await pick(page, 'Connect cluster', 'dr');
  await expect(
    page.getByText(`Connectors (${await count('dr')})`),
  ).toBeVisible();
  expect(clusterParam(page)).toBe('dr');
  await page.reload();
  await expect(picker(page, 'Connect cluster')).toContainText('dr');
  await expect(
    page.getByText(`Connectors (${await count('dr')})`),
  ).toBeVisible();
  await expectTablesFit(page, testInfo, 'cluster-picker-connect');
});

test('cluster-picker-zookeeper', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await gotoWithRetry(page, `${BASE}/archon/zookeeper?cluster=dr`);
  await expect(page.getByRole('tree', { name: 'Znodes of dr' })).toBeVisible();
  await pick(page, 'ZooKeeper ensemble', 'local');
  await expect(
    page.getByRole('tree', { name: 'Znodes of local' }),
  ).toBeVisible();
  expect(clusterParam(page)).toBe('local');
  await page.reload();
  await expect(
    page.getByRole('tree', { name: 'Znodes of local' }),
  ).toBeVisible();
  await expectTablesFit(page, testInfo, 'cluster-picker-zookeeper');
});

test('cluster-picker-marathon', async ({ page }, testInfo) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  // The Systems page's Manage link of Marathon dr lands on dr.
  await gotoWithRetry(page, `${BASE}/archon`);
  const drRow = page
    .locator('tr', { has: page.getByText('marathon', { exact: true }) })
    .filter({ has: page.getByText('dr', { exact: true }) });
  await drRow.getByRole('link', { name: 'Marathon' }).click();
  await page.waitForURL(/\/archon\/marathon\?cluster=dr$/);
  await expect(page.getByText('Apps on dr')).toBeVisible();
  await expect(page.getByText('Apps on local')).toHaveCount(0);

  await pick(page, 'Marathon instance', 'All instances');
  await expect(page.getByText('Apps on local')).toBeVisible();
  await expect(page.getByText('Apps on dr')).toBeVisible();
  expect(clusterParam(page)).toBe('all');
  await page.reload();
  await expect(page.getByText('Apps on local')).toBeVisible();
  await expect(page.getByText('Apps on dr')).toBeVisible();
  // Each instance's list read (its title counts its apps).
  await expect(page.getByText(/^Apps \(\d+\)$/)).toHaveCount(2);
  await shot(page, testInfo, 'cluster-picker-marathon-all');
  await expectTablesFit(page, testInfo, 'cluster-picker-marathon');
});

test('cluster-picker-deploy-target', async ({ page }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  const put = await api('PUT', `/config/sets${APP_PATH}`, {
    properties: {
      'marathon.cmd': 'sleep 600',
      'marathon.cpus': '0.05',
      'marathon.mem': '32',
    },
  });
  expect(put.status, `writing ${APP_PATH}`).toBe(200);
  // The Marathon page showing dr offers dr as the deploy's target; the plan
  // is dr's (nothing is deployed: the confirmation is cancelled).
  await gotoWithRetry(page, `${BASE}/archon/marathon?cluster=dr`);
  await page
    .getByRole('button', { name: 'Deploy a configuration path…' })
    .click();
  const dialog = page.getByRole('dialog', {
    name: 'Deploy a configuration path',
  });
  await dialog.getByLabel('Configuration path').fill(APP_PATH);
  await page.getByRole('option', { name: APP_PATH, exact: true }).click();
  await expect(dialog.getByLabel('Target')).toContainText('dr');
  await dialog.getByRole('button', { name: 'Deploy…' }).click();
  const confirm = page.getByRole('dialog', {
    name: `Deploy ${APP_PATH} to dr?`,
  });
  await expect(confirm.getByTestId('deploy-plan')).toContainText(
    'does not run on dr yet',
  );
  await confirm.getByRole('button', { name: 'Cancel' }).click();

  // The other target is one choice away.
  await dialog.getByLabel('Target').click();
  await page.getByRole('option', { name: 'local (marathon)' }).click();
  await dialog.getByRole('button', { name: 'Deploy…' }).click();
  await expect(
    page
      .getByRole('dialog', { name: `Deploy ${APP_PATH} to local?` })
      .getByTestId('deploy-plan'),
  ).toContainText('does not run on local yet');
});
