// The Configuration page on a level of its own: edit, effective view,
// history, impact preview, conflict merge, refused save, restore. The tests
// build on each other (serial: a retry runs them all again, on a new level,
// since a retry is a new worker that evaluates this module again).
import { api, BASE, expect, gotoWithRetry, log, shot, test } from './fixtures';
import { expectTablesFit } from './tablesFit';

test.describe.configure({ mode: 'serial' });

const level = `/e2e-${Date.now().toString(36)}`;
const levelApi = encodeURIComponent(level.slice(1));
const child = `${level}/child`;
const childApi = encodeURIComponent(child.slice(1));
const levelPage = `${BASE}/archon/config?path=${encodeURIComponent(level)}`;
const edited = `edited in the browser at ${new Date().toISOString()}`;

test.afterAll(async () => {
  // The child first: a level with children keeps existing without a set.
  for (const [path, apiPath] of [
    [child, childApi],
    [level, levelApi],
  ]) {
    const cleanup = await api('DELETE', `/config/sets/${apiPath}`).catch(e => ({
      status: e.message,
    }));
    if (cleanup.status !== 200 && cleanup.status !== 404)
      log(`could not delete ${path}: ${cleanup.status}`);
  }
  // What is left below (the save-anyway levels) goes with the level.
  await api(
    'DELETE',
    `/config/sets/${levelApi}?prune=true&recursive=true`,
  ).catch(() => {});
});

test('config-create-level-through-api', async () => {
  const res = await api('PUT', `/config/sets/${levelApi}`, {
    properties: { greeting: 'hello', color: 'blue' },
    expectedVersion: -1,
  });
  expect(res.status, `PUT ${level}: ${JSON.stringify(res.body)}`).toBe(200);
});

test('config-edit-value-in-ui', async ({ page }) => {
  const before = await api('GET', `/config/sets/${levelApi}`);
  const was = before.body?.properties?.greeting;
  await gotoWithRetry(page, levelPage);
  // The new level shows up in the tree, selected.
  await expect(
    page
      .getByRole('tree', { name: 'Configuration levels' })
      .getByText(level.slice(1), { exact: true }),
  ).toBeVisible();
  const value = page.getByLabel('Value of greeting');
  await expect(value).toHaveValue(was);
  await value.fill(edited);
  await expect(page.getByText(`was: ${was}`)).toBeVisible();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const version = before.body.version + 1;
  await expect(
    page.getByText(`Saved ${level} (version ${version}); changed: greeting.`),
  ).toBeVisible();
  const res = await api('GET', `/config/sets/${levelApi}`);
  expect(res.body?.properties?.greeting).toBe(edited);
  expect(res.body?.version).toBe(version);
});

test('config-effective-view', async ({ page }, testInfo) => {
  await gotoWithRetry(page, levelPage);
  await page.getByRole('tab', { name: 'Effective' }).click();
  const row = page
    .locator('tr', { has: page.getByText('greeting', { exact: true }) })
    .first();
  await expect(row).toBeVisible();
  const text = await row.innerText();
  expect(text).toContain(edited);
  expect(text).toContain(level);
  await expectTablesFit(page, testInfo, 'config-effective-view');
});

test('config-history', async ({ page }, testInfo) => {
  await gotoWithRetry(page, levelPage);
  await page.getByRole('tab', { name: 'History' }).click();
  await expect(page.getByText('changed: greeting').first()).toBeVisible();
  await expect(
    page.getByText('changed: color, greeting').first(),
  ).toBeVisible();
  await expectTablesFit(page, testInfo, 'config-history');
});

test('config-impact-preview', async ({ page }, testInfo) => {
  // A level below inherits the edited key: the preview lists it.
  const res = await api('PUT', `/config/sets/${childApi}`, {
    properties: { own: 'child value' },
  });
  expect(res.status, `PUT ${child}`).toBe(200);
  await gotoWithRetry(page, levelPage);
  await page.getByLabel('Value of color').fill('green');
  await page.getByRole('button', { name: 'Preview changes' }).click();
  const report = page.getByTestId('impact-report');
  await expect(report.getByText(/affects 2 of 2 paths/)).toBeVisible();
  await expect(report.getByText(child, { exact: true })).toBeVisible();
  await shot(page, testInfo, 'config-impact-report');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText(/Saved .* changed: color\./)).toBeVisible();
  const effective = await api('GET', `/config/effective/${childApi}`);
  expect(effective.body?.properties?.color, "the child's color").toBe('green');
});

test('config-conflict-merge', async ({ page }, testInfo) => {
  await gotoWithRetry(page, levelPage);
  const greeting = page.getByLabel('Value of greeting');
  await expect(greeting).toBeVisible();
  // Someone else changes the set after the page read it.
  const other = await api('PATCH', `/config/sets/${levelApi}`, {
    set: { color: 'changed elsewhere' },
  });
  expect(other.status, 'PATCH').toBe(200);
  await greeting.fill('mine, merged');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const merge = page.getByTestId('conflict-merge');
  await expect(
    merge.getByText('Someone changed this set since you opened it.'),
  ).toBeVisible();
  await expect(merge.getByText('changed elsewhere')).toBeVisible();
  await shot(page, testInfo, 'config-conflict-merge-view');
  await merge.getByRole('button', { name: 'Save merged set' }).click();
  await expect(page.getByText(/Saved .* changed: greeting\./)).toBeVisible();
  const set = await api('GET', `/config/sets/${levelApi}`);
  expect(set.body?.properties).toMatchObject({
    greeting: 'mine, merged',
    color: 'changed elsewhere',
  });
});

test('config-save-anyway', async ({ page }, testInfo) => {
  // Removing a key a level below references is refused until "Save anyway".
  const upper = `${level}/anyway-${Date.now().toString(36)}`;
  const upperApi = encodeURIComponent(upper.slice(1));
  const below = `${upper}/kid`;
  const belowApi = encodeURIComponent(below.slice(1));
  for (const [p, properties] of [
    [upperApi, { base: 'b' }],
    [belowApi, { uses: '${base}' }],
  ] as const) {
    const res = await api('PUT', `/config/sets/${p}`, { properties });
    expect(res.status, `PUT ${p}`).toBe(200);
  }
  await gotoWithRetry(
    page,
    `${BASE}/archon/config?path=${encodeURIComponent(upper)}`,
  );
  await page.getByRole('button', { name: 'Remove base' }).click();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const refused = page.getByTestId('refused-write');
  await expect(refused.getByText(below, { exact: true })).toBeVisible();
  await shot(page, testInfo, 'config-save-anyway');
  const still = await api('GET', `/config/sets/${upperApi}`);
  expect(still.body?.properties?.base, 'the refused save wrote').toBe('b');
  await refused.getByRole('button', { name: 'Save anyway' }).click();
  await expect(page.getByText(/Saved .* changed: base\./)).toBeVisible();
  const broken = await api('GET', `/config/effective/${belowApi}`);
  expect(broken.status, `${below} after the forced save`).toBe(422);
});

test('config-restore-version', async ({ page }, testInfo) => {
  await gotoWithRetry(page, levelPage);
  await page.getByRole('tab', { name: 'History' }).click();
  // The level was created at version 0 with greeting=hello, color=blue.
  await page.getByText('→ version 0', { exact: true }).click();
  await page.getByRole('button', { name: 'Restore this version' }).click();
  const dialog = page.getByRole('dialog');
  await expect(
    dialog.getByRole('table', { name: 'Restore version 0' }),
  ).toBeVisible();
  await shot(page, testInfo, 'config-restore-diff');
  await dialog.getByRole('button', { name: 'Restore version 0' }).click();
  await expect(page.getByText('(restored from v0)').first()).toBeVisible();
  const set = await api('GET', `/config/sets/${levelApi}`);
  expect(set.body?.properties).toMatchObject({
    greeting: 'hello',
    color: 'blue',
  });
});
