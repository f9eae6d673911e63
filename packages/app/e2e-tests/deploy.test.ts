// An app's Deploy, Monitor and Overview in the catalog, and deploying from
// the Configuration page, on archon's own demo app: a configuration path the
// tests deploy to the local Marathon (never the sample pipeline's apps).
import {
  api,
  BASE,
  CatalogEntity,
  catalogEntities,
  catalogEntityEventually,
  entityUrl,
  expect,
  gotoWithRetry,
  log,
  shot,
  test,
} from './fixtures';
import { expectTablesFit } from './tablesFit';

const DEMO_PATH = '/e2e-portal/demo';
const DEMO_API = encodeURIComponent(DEMO_PATH.slice(1));
const DEMO_SET = {
  'marathon.cmd': 'while true; do echo "demo says $GREETING"; sleep 5; done',
  'marathon.instances': '1',
  'marathon.cpus': '0.05',
  'marathon.mem': '32',
};
const STATUS = `/apps/status?instance=local&configPath=${encodeURIComponent(
  DEMO_PATH,
)}`;

const DEMO_FILTER = `kind=component,metadata.annotations.archon.io/config-path=${DEMO_PATH}`;
const onInstance = (instance: string) => (e: CatalogEntity) =>
  e.metadata.annotations?.['archon.io/marathon-instance'] === instance;

// The demo app on local: deploy-to-dr-target gives the path a second entity
// (the app on dr) while it runs there.
const findDemo = async () =>
  (await catalogEntities(DEMO_FILTER)).find(onInstance('local'));

/** Deploys the demo path to local through the API and waits for the outcome. */
async function deployDemoToLocal(why: string) {
  log(`deploying ${DEMO_PATH} to local through the API ${why}`);
  const deployed = await api('POST', '/deployments', {
    configPath: DEMO_PATH,
    instance: 'local',
    wait: true,
    timeoutSeconds: 120,
  });
  expect(deployed.body?.status, `the deploy to local ${why}`).toBe('succeeded');
}

/** The catalog entity of the demo app, deploying it first when it never ran (the Marathon provider then lists it). */
async function demoEntity(): Promise<CatalogEntity> {
  const entity = await findDemo();
  if (entity) return entity;
  const set = await api('PATCH', `/config/sets/${DEMO_API}`, { set: DEMO_SET });
  if (set.status === 404) {
    const created = await api('PUT', `/config/sets/${DEMO_API}`, {
      properties: { ...DEMO_SET, greeting: 'first deploy' },
      expectedVersion: -1,
    });
    expect(created.status, `PUT ${DEMO_PATH}`).toBe(200);
  } else {
    expect(set.status, `PATCH ${DEMO_PATH}`).toBe(200);
  }
  const status = await api('GET', STATUS);
  if (!status.body?.exists) {
    await deployDemoToLocal('so the catalog gets its entity');
  }
  log('waiting for the Marathon catalog provider to list the demo app');
  let found: CatalogEntity | undefined;
  await expect
    .poll(async () => (found = await findDemo()), {
      message: `the Marathon catalog provider to list ${DEMO_PATH}`,
      timeout: 420_000,
      intervals: [10_000],
    })
    .toBeTruthy();
  return found!;
}

let base: string;

test.beforeAll(async () => {
  test.setTimeout(720_000);
  base = entityUrl(await demoEntity());
});

test('deploy-tab', async ({ page }, testInfo) => {
  // A configuration change the deploy ships.
  const greeting = `deployed from the browser at ${new Date().toISOString()}`;
  const set = await api('PATCH', `/config/sets/${DEMO_API}`, {
    set: { ...DEMO_SET, greeting },
  });
  expect(set.status, 'PATCH').toBe(200);
  await gotoWithRetry(page, `${base}/deploy`);
  await expect(page.getByTestId('app-status')).toBeVisible();
  await page.getByRole('button', { name: 'Preview changes' }).click();
  const plan = page.getByTestId('deploy-plan');
  await expect(
    plan.getByText(/^Configuration: \d+ changes? since/),
  ).toBeVisible();
  await expect(
    plan
      .getByRole('table', {
        name: 'Configuration changes since the running release',
      })
      .getByText(greeting),
  ).toBeVisible();
  await page.getByRole('button', { name: 'Deploy…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(dialog.getByTestId('deploy-plan')).toBeVisible();
  await shot(page, testInfo, 'deploy-confirm');
  await dialog.getByRole('button', { name: 'Deploy now' }).click();
  const progress = page.getByTestId('flow-progress');
  await expect(
    progress
      .getByRole('log', { name: 'Deploy progress' })
      .locator('li')
      .first(),
  ).toBeVisible({ timeout: 60_000 });
  await shot(page, testInfo, 'deploy-progress');
  const done = progress.getByText(/^deploy (succeeded|failed|timeout)/);
  await expect(done).toBeVisible({ timeout: 150_000 });
  const text = await done.innerText();
  expect(text, 'the deploy ended').toMatch(/^deploy succeeded/);
  const release = /release (\S+)\)/.exec(text)?.[1];
  expect(release, `a release in "${text}"`).toBeTruthy();
  // The new release is in the history and is what runs now.
  await expect(page.getByRole('cell', { name: release }).first()).toBeVisible();
  await expect(
    page.getByTestId('app-status').getByText(release!),
  ).toBeVisible();
  const runs = await api('GET', STATUS);
  expect(runs.body?.releaseId, 'the release the API says runs').toBe(release);
});

// #13: the live release is marked and offers no roll back; destroy sits behind a typed name.
test('deploy-tab-release-states', async ({ page }, testInfo) => {
  await gotoWithRetry(page, `${base}/deploy`);
  const runs = await api('GET', STATUS);
  const live = runs.body?.releaseId;
  expect(live, `a running release: ${JSON.stringify(runs.body)}`).toBeTruthy();
  const row = page.getByRole('row').filter({ hasText: live });
  await expect(row.getByText(/^live/)).toBeVisible();
  await expect(
    row.getByRole('button', { name: `Roll back to ${live}` }),
    'the live release offers no roll back',
  ).toHaveCount(0);
  await page.getByRole('button', { name: 'Destroy…' }).click();
  const dialog = page.getByRole('dialog');
  await expect(
    dialog.getByRole('button', { name: 'Destroy' }),
    'Destroy before the path is typed',
  ).toBeDisabled();
  await shot(page, testInfo, 'deploy-destroy-confirm');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
});

// #13: any configuration level deploys from the Configuration page.
test('config-page-deploy', async ({ page }, testInfo) => {
  await gotoWithRetry(
    page,
    `${BASE}/archon/config?path=${encodeURIComponent(DEMO_PATH)}`,
  );
  await page.getByRole('button', { name: `Deploy ${DEMO_PATH}` }).click();
  const dialog = page.getByRole('dialog', { name: `Deploy ${DEMO_PATH}` });
  await expect(dialog.getByLabel('Target')).toBeVisible();
  await dialog.getByRole('button', { name: 'Preview changes' }).click();
  await expect(dialog.getByTestId('deploy-plan')).toBeVisible();
  await dialog.getByRole('button', { name: 'Deploy…' }).click();
  await page.getByRole('button', { name: 'Deploy now' }).click();
  const done = dialog.getByText(/^deploy (succeeded|failed|timeout)/);
  await expect(done).toBeVisible({ timeout: 150_000 });
  await shot(page, testInfo, 'config-page-deploy');
  expect(await done.innerText(), 'the deploy ended').toMatch(
    /^deploy succeeded/,
  );
});

test('monitor-tab', async ({ page }, testInfo) => {
  await gotoWithRetry(page, `${base}/monitor`);
  const task = page.getByRole('button', { name: /^Logs of / }).first();
  await expect(task).toBeVisible({ timeout: 60_000 });
  await expect(
    page.getByTestId('event-feed-state').getByText('live'),
  ).toBeVisible();
  await task.click();
  await expect(
    page
      .getByLabel(/^stdout of /)
      .getByText(/demo says/)
      .first(),
  ).toBeVisible();
  await expectTablesFit(page, testInfo, 'monitor-tab');
});

test('app-overview-card', async ({ page }) => {
  await gotoWithRetry(page, base);
  const card = page.getByTestId('app-overview');
  await expect(card.getByText(/\d+ of \d+ tasks healthy/)).toBeVisible();
  await expect(card.getByText(/Current release: /)).toBeVisible();
  await expect(
    card.getByText(/configuration change|No configuration changes/),
  ).toBeVisible();
});

// #20: one configuration path, two targets. The target picker every deploy
// of a path goes through (DeployToTarget; the Configuration page's Deploy
// dialog — an app's own Deploy tab is bound to the instance its catalog
// entity names) ships the demo path to dr. The release is dr's: the dr
// app's Deploy tab lists it under "Releases to dr", the local app's does
// not, and dr's Marathon runs the app. Destroyed on dr after, so the run
// leaves dr as it found it.
test('deploy-to-dr-target', async ({ page }, testInfo) => {
  test.setTimeout(480_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  const releasesOn = async (instance: string): Promise<string[]> => {
    const res = await api(
      'GET',
      `/releases?path=${encodeURIComponent(DEMO_PATH)}&instance=${instance}`,
    );
    expect(res.status, `releases on ${instance}`).toBe(200);
    return res.body.items.map((r: { id: string }) => r.id);
  };
  // local's history must hold a release for "not listed there" to mean
  // anything (a portal on a fresh database knows none of what runs).
  if ((await releasesOn('local')).length === 0) {
    await deployDemoToLocal('so local has a release');
  }
  try {
    await gotoWithRetry(
      page,
      `${BASE}/archon/config?path=${encodeURIComponent(DEMO_PATH)}`,
    );
    await page.getByRole('button', { name: `Deploy ${DEMO_PATH}` }).click();
    const dialog = page.getByRole('dialog', { name: `Deploy ${DEMO_PATH}` });
    await dialog.getByLabel('Target').click();
    await page.getByRole('option', { name: 'dr (marathon)' }).click();
    await expect(dialog.getByLabel('Target')).toContainText('dr');
    await dialog.getByRole('button', { name: 'Deploy…' }).click();
    const confirm = page.getByRole('dialog', {
      name: `Deploy ${DEMO_PATH} to dr?`,
    });
    await expect(confirm.getByTestId('deploy-plan')).toBeVisible();
    await shot(page, testInfo, 'deploy-to-dr-confirm');
    await confirm.getByRole('button', { name: 'Deploy now' }).click();
    const done = dialog.getByText(/^deploy (succeeded|failed|timeout)/);
    await expect(done).toBeVisible({ timeout: 150_000 });
    const text = await done.innerText();
    expect(text, 'the deploy to dr ended').toMatch(/^deploy succeeded/);
    const release = /release (\S+)\)/.exec(text)?.[1];
    expect(release, `a release in "${text}"`).toBeTruthy();

    // dr runs it, as dr's release; local's releases do not hold it.
    const status = await api(
      'GET',
      `/apps/status?instance=dr&configPath=${encodeURIComponent(DEMO_PATH)}`,
    );
    expect(status.body, 'what runs on dr').toMatchObject({
      exists: true,
      releaseId: release,
    });
    const drApps = await api('GET', '/marathon/dr/apps');
    expect(JSON.stringify(drApps.body), "dr's Marathon apps").toContain(
      `"${DEMO_PATH}"`,
    );
    expect(await releasesOn('dr')).toContain(release);
    expect(await releasesOn('local')).not.toContain(release);

    // The app on dr gets its own entity; its Deploy tab lists the release.
    const onDr = await catalogEntityEventually(
      DEMO_FILTER,
      onInstance('dr'),
      180_000,
    );
    await gotoWithRetry(page, entityUrl(onDr, 'deploy'));
    const drHistory = page.getByText('Releases to dr', { exact: true });
    await expect(drHistory).toBeVisible();
    const drRow = page.getByRole('row').filter({ hasText: release! });
    await expect(drRow.getByText(/^live/)).toBeVisible();
    await expectTablesFit(page, testInfo, 'deploy-tab-on-dr');
    // The app on local: its history is local's, without dr's release.
    await gotoWithRetry(page, `${base}/deploy`);
    await expect(
      page.getByText('Releases to local', { exact: true }),
    ).toBeVisible();
    const live = (await api('GET', STATUS)).body?.releaseId;
    expect(live, 'a release running on local').toBeTruthy();
    await expect(
      page.getByRole('row').filter({ hasText: live }).getByText(/^live/),
    ).toBeVisible();
    await expect(page.getByRole('cell', { name: release })).toHaveCount(0);
    await expectTablesFit(page, testInfo, 'deploy-tab-on-local');
  } finally {
    const destroyed = await api('POST', '/apps/destroy', {
      configPath: DEMO_PATH,
      instance: 'dr',
      confirm: DEMO_PATH,
      wait: true,
    });
    log(`destroyed ${DEMO_PATH} on dr: ${destroyed.status}`);
  }
  const gone = await api(
    'GET',
    `/apps/status?instance=dr&configPath=${encodeURIComponent(DEMO_PATH)}`,
  );
  expect(gone.body?.exists, `${DEMO_PATH} still on dr`).toBe(false);
});
