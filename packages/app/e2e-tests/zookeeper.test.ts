// The ZooKeeper page: browse, edit with a diff, create and delete znodes.
import {
  api,
  BASE,
  expect,
  gotoWithRetry,
  shot,
  sidebar,
  test,
} from './fixtures';
import { expectTablesFit } from './tablesFit';

const znode = `/e2e-zk-${Date.now().toString(36)}`;
const znodeApi = encodeURIComponent(znode);

test.afterAll(async () => {
  await api(
    'DELETE',
    `/zookeeper/local/znodes/${znodeApi}?expectedVersion=-1&recursive=true&expectedCount=2`,
  ).catch(() => {});
});

test('zookeeper-page', async ({ page }, testInfo) => {
  const created = await api('POST', `/zookeeper/local/znodes/${znodeApi}`, {
    data: { json: { color: 'blue' } },
  });
  expect([201, 409], `creating ${znode}`).toContain(created.status);
  await api(
    'POST',
    `/zookeeper/local/znodes/${encodeURIComponent(`${znode}/child`)}`,
    { data: { text: 'child' } },
  );
  await gotoWithRetry(page, `${BASE}/`);
  await sidebar(page)
    .getByRole('link', { name: 'ZooKeeper', exact: true })
    .click();
  const tree = page.getByRole('tree', { name: 'Znodes of local' });
  await tree.getByText(znode.slice(1), { exact: true }).click();
  await expect(tree.getByText('child', { exact: true })).toBeVisible();
  const data = page.getByLabel(/^Data of \/e2e-zk-.* \(json, version 0/);
  await expect(data).toBeVisible();
  await shot(page, testInfo, 'zookeeper-browse');
  await data.fill('{"color": "green"}');
  // A raw save shows the diff and asks first.
  await page.getByRole('button', { name: 'Save…', exact: true }).click();
  const confirmSave = page.getByRole('dialog');
  await expect(confirmSave.getByText('+ {"color": "green"}')).toBeVisible();
  await confirmSave.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText(`Saved ${znode} (version 1).`)).toBeVisible();
  const read = await api('GET', `/zookeeper/local/znodes/${znodeApi}`);
  expect(read.body?.data?.text, 'what ZooKeeper holds').toBe(
    '{"color": "green"}',
  );
  await expect(page.getByRole('table', { name: 'ACL' })).toBeVisible();
  await expectTablesFit(page, testInfo, 'zookeeper-page');
});

test('zookeeper-create-delete-znode', async ({ page }, testInfo) => {
  const parent = `/e2e-zk-cd-${Date.now().toString(36)}`;
  const parentPage = `${BASE}/archon/zookeeper?ensemble=local&path=${encodeURIComponent(
    parent,
  )}`;
  const created = await api(
    'POST',
    `/zookeeper/local/znodes/${encodeURIComponent(parent)}`,
    { data: { text: 'parent' } },
  );
  expect(created.status, `creating ${parent}`).toBe(201);
  await gotoWithRetry(page, parentPage);
  await expect(page.getByLabel(/^Data of \/e2e-zk-cd-/)).toBeVisible();
  await page.getByRole('button', { name: 'New znode…' }).click();
  const create = page.getByRole('dialog');
  await create.getByLabel('Name').fill('made-in-ui');
  await create.getByLabel('Data (text, may be empty)').fill('hello');
  await create.getByRole('button', { name: 'Create', exact: true }).click();
  await expect(
    page.getByLabel(new RegExp(`^Data of ${parent}/made-in-ui`)),
  ).toBeVisible();
  const read = await api(
    'GET',
    `/zookeeper/local/znodes/${encodeURIComponent(`${parent}/made-in-ui`)}`,
  );
  expect(read.body?.data?.text, 'what ZooKeeper holds').toBe('hello');
  // Delete the parent with its child: the count is shown and the path must be typed.
  await gotoWithRetry(page, parentPage);
  await expect(page.getByLabel(/^Data of \/e2e-zk-cd-/)).toBeVisible();
  await page.getByRole('button', { name: 'Delete…' }).click();
  const del = page.getByRole('dialog');
  await expect(
    del.getByText(`Deletes ${parent} and everything below it: 2 znodes.`),
  ).toBeVisible();
  const button = del.getByRole('button', { name: 'Delete 2 znodes' });
  await expect(button, 'delete before the path was typed').toBeDisabled();
  await del.getByLabel('Path').fill(parent);
  await shot(page, testInfo, 'zookeeper-delete-znode');
  await button.click();
  await expect(del).toHaveCount(0);
  const gone = await api(
    'GET',
    `/zookeeper/local/znodes/${encodeURIComponent(parent)}`,
  );
  expect(gone.status, `${parent} after the delete`).toBe(404);
});
