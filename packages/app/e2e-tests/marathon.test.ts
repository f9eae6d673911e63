// The Marathon page: its apps by folder, deploying a configuration path from
// it, and an app's scale, restart and destroy from its row (#17), on the
// local Marathon, with a test app of its own (never the sample pipeline's).
import {
  api,
  BASE,
  expect,
  gotoWithRetry,
  log,
  sidebar,
  test,
} from './fixtures';
import { expectTablesFit } from './tablesFit';

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

/** A configuration path of this run: its app is the one the test acts on. */
const RUN_PATH = `/e2e-marathon/app-${Date.now().toString(36)}`;
const RUN_API = encodeURIComponent(RUN_PATH.slice(1));

test.describe('marathon-actions', () => {
  test.beforeAll(async () => {
    const created = await api('PUT', `/config/sets/${RUN_API}`, {
      properties: {
        'marathon.cmd': 'while true; do sleep 5; done',
        'marathon.instances': '1',
        'marathon.cpus': '0.05',
        'marathon.mem': '32',
      },
      expectedVersion: -1,
    });
    expect(created.status, `PUT ${RUN_PATH}`).toBe(200);
  });

  test.afterAll(async () => {
    // Whatever the test reached: the app and the configuration go.
    const status = await api(
      'GET',
      `/apps/status?instance=local&configPath=${encodeURIComponent(RUN_PATH)}`,
    );
    if (status.body?.exists) {
      log(`destroying ${RUN_PATH} left running`);
      await api('POST', '/apps/destroy', {
        configPath: RUN_PATH,
        instance: 'local',
        confirm: RUN_PATH,
        wait: true,
      });
    }
    const removed = await api(
      'DELETE',
      `/config/sets/e2e-marathon?prune=true&recursive=true&force=true`,
    );
    log(`removed /e2e-marathon: ${removed.status}`);
  });

  test('deploy a configuration path, then scale, restart and destroy its app from the Marathon page', async ({
    page,
  }, testInfo) => {
    test.setTimeout(600_000);
    await page.setViewportSize({ width: 1440, height: 900 });
    await gotoWithRetry(page, `${BASE}/archon/marathon`);
    await expect(page.getByText(/^Apps \(\d+\)$/)).toBeVisible();
    const progress = page.getByTestId('flow-progress');

    // Deploy through the dialog: path picker → target → dry run → deploy.
    await page
      .getByRole('button', { name: 'Deploy a configuration path…' })
      .click();
    const dialog = page.getByRole('dialog', {
      name: 'Deploy a configuration path',
    });
    await dialog.getByLabel('Configuration path').fill(RUN_PATH);
    await page.getByRole('option', { name: RUN_PATH, exact: true }).click();
    await expect(dialog.getByLabel('Target')).toContainText('local');
    await dialog.getByRole('button', { name: 'Deploy…' }).click();
    const confirm = page.getByRole('dialog', {
      name: `Deploy ${RUN_PATH} to local?`,
    });
    await expect(confirm.getByTestId('deploy-plan')).toContainText(
      'does not run on local yet',
    );
    await confirm.getByRole('button', { name: 'Deploy now' }).click();
    const deployed = dialog
      .getByTestId('flow-progress')
      .getByText(/^deploy (succeeded|failed|timeout)/);
    await expect(deployed).toBeVisible({ timeout: 180_000 });
    expect(await deployed.innerText(), 'the deploy ended').toMatch(
      /^deploy succeeded/,
    );
    await dialog.getByRole('button', { name: 'Close' }).click();

    // The list re-read after the deploy: the new app in its folder, opened.
    await page
      .getByRole('button', { name: 'Open folder /e2e-marathon', exact: true })
      .click();
    const row = page
      .getByRole('row')
      .filter({ hasText: RUN_PATH })
      .filter({
        has: page.getByRole('button', { name: `Actions for ${RUN_PATH}` }),
      });
    await expect(row).toBeVisible({ timeout: 30_000 });
    await expect(
      page.getByRole('row').filter({ hasText: '/e2e-marathon' }).first(),
    ).toBeVisible();
    await expect(row).toContainText('32 MiB');
    await expectTablesFit(page, testInfo, 'marathon-page');

    const act = async (item: string) => {
      await row
        .getByRole('button', { name: `Actions for ${RUN_PATH}` })
        .click();
      await page
        .getByRole('menuitem', { name: new RegExp(`^${item}`) })
        .click();
      return page.getByRole('dialog');
    };
    const finished = async (kind: string) => {
      const done = progress.getByText(
        new RegExp(`^${kind} (succeeded|failed|timeout)`),
      );
      await expect(done).toBeVisible({ timeout: 180_000 });
      expect(await done.innerText(), `the ${kind} ended`).toMatch(
        new RegExp(`^${kind} succeeded`),
      );
    };

    // Scale to 2: the row shows 2 wanted, then 2 running.
    let asked = await act('Scale');
    await asked.getByLabel('Instances').fill('2');
    await asked.getByRole('button', { name: 'Scale' }).click();
    await finished('scale');
    await expect(row.getByTestId('instances')).toHaveText('2 / 0 / 2', {
      timeout: 60_000,
    });

    asked = await act('Restart');
    await asked.getByRole('button', { name: 'Restart' }).click();
    await finished('restart');

    asked = await act('Destroy');
    await asked.getByLabel(`Type ${RUN_PATH} to confirm`).fill(RUN_PATH);
    await asked.getByRole('button', { name: 'Destroy' }).click();
    await finished('destroy');
    await expect(row).toHaveCount(0, { timeout: 60_000 });
    const gone = await api(
      'GET',
      `/apps/status?instance=local&configPath=${encodeURIComponent(RUN_PATH)}`,
    );
    expect(gone.body?.exists, 'the app after destroy').toBe(false);
  });
});

/** The fill and border a state swatch draws with. */
const swatchLook = (swatch: import('@playwright/test').Locator) =>
  swatch
    .locator('rect')
    .evaluate(r => `${r.getAttribute('fill')} ${r.getAttribute('stroke')}`);

test('marathon-state-words-and-copy', async ({ page }, testInfo) => {
  const apps = await api('GET', '/marathon/local/apps');
  const items: Array<{ id: string; status: string }> = apps.body?.items ?? [];
  // The sample pipeline: its web app has a health check, the others none.
  const healthy = items.find(a => a.status === 'healthy');
  const running = items.find(a => a.status === 'running');
  expect(healthy, 'an app Marathon reports healthy').toBeTruthy();
  expect(running, 'an app running without health checks').toBeTruthy();

  await gotoWithRetry(page, `${BASE}/archon/marathon`);
  await expect(page.getByText(/^Apps \(\d+\)$/)).toBeVisible();
  const stateOf = async (id: string) => {
    // Folders may be closed: open each folder above the app that is.
    const parts = id.split('/').slice(1, -1);
    for (let i = 1; i <= parts.length; i++) {
      const open = page.getByRole('button', {
        name: `Open folder /${parts.slice(0, i).join('/')}`,
        exact: true,
      });
      if (await open.isVisible()) await open.click();
    }
    const row = page
      .getByRole('row')
      .filter({ has: page.getByRole('button', { name: `Copy ${id}` }) });
    await expect(row).toBeVisible();
    return row.locator('[data-state-swatch]');
  };
  const looks = {
    healthy: await swatchLook(await stateOf(healthy!.id)),
    running: await swatchLook(await stateOf(running!.id)),
  };
  expect(looks.running, 'running and healthy look different').not.toBe(
    looks.healthy,
  );

  // The copy button: a small quiet icon, a little apart from the id.
  const copy = page.getByRole('button', { name: `Copy ${running!.id}` });
  const button = await copy.evaluate(b => {
    const r = b.getBoundingClientRect();
    const text = b
      .closest('td')!
      .querySelector('[data-identifier]')!
      .getBoundingClientRect();
    return {
      height: r.height,
      gap: r.left - text.right,
      background: getComputedStyle(b).backgroundColor,
    };
  });
  expect(button.height).toBeLessThanOrEqual(24);
  expect(button.gap).toBeGreaterThanOrEqual(2);
  expect(button.background).toBe('rgba(0, 0, 0, 0)');
  await expectTablesFit(page, testInfo, 'marathon-state-words');

  // The Pipelines page draws each word the same (its legend's swatches).
  await gotoWithRetry(page, `${BASE}/archon/pipelines`);
  const legend = page.getByRole('list', { name: 'Legend' });
  for (const word of ['healthy', 'running'] as const) {
    await expect(
      legend.locator(`[data-state-swatch="${word}"]`).locator('rect'),
    ).toBeVisible();
    expect(
      await swatchLook(legend.locator(`[data-state-swatch="${word}"]`)),
      `${word} on the Pipelines page`,
    ).toBe(looks[word]);
  }
});

/** An app of this run that archon did not deploy: created through Marathon's own REST. */
const ANY_GROUP = `/e2e-any-${Date.now().toString(36)}`;
const ANY_APP = `${ANY_GROUP}/plain`;

test.describe('marathon-any-app', () => {
  let marathonUrl = '';

  test.beforeAll(async () => {
    const instances = await api('GET', '/marathon');
    marathonUrl = instances.body.items.find(
      (i: { name: string }) => i.name === 'local',
    ).url;
    const created = await fetch(`${marathonUrl}/v2/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        id: ANY_APP,
        cmd: 'sleep 3600',
        cpus: 0.01,
        mem: 16,
        instances: 1,
      }),
    });
    expect(created.status, `creating ${ANY_APP} on Marathon`).toBe(201);
  });

  test.afterAll(async () => {
    // Whatever the test reached: the group goes.
    const removed = await fetch(
      `${marathonUrl}/v2/groups${ANY_GROUP}?force=true`,
      { method: 'DELETE' },
    );
    log(`removed ${ANY_GROUP} from Marathon: ${removed.status}`);
  });

  test('marathon-actions-any-app', async ({ page }, testInfo) => {
    test.setTimeout(300_000);
    await page.setViewportSize({ width: 1440, height: 900 });
    // A link to the folder opens it (and the folders above it).
    await gotoWithRetry(page, `${BASE}/archon/marathon?group=${ANY_GROUP}`);
    await expect(page.getByText(/^Apps \(\d+\)$/)).toBeVisible();
    await expect(
      page.getByRole('button', { name: `Close folder ${ANY_GROUP}` }),
    ).toHaveAttribute('aria-expanded', 'true');
    const row = page.getByRole('row').filter({
      has: page.getByRole('button', { name: `Actions for ${ANY_APP}` }),
    });
    await expect(row).toBeVisible();
    await expect(row.getByTestId('instances')).toHaveText('1 / 0 / 1', {
      timeout: 60_000,
    });
    // A figure is one line ("0.0" over "1" was seen in the CPU column).
    const cpuLines = await row
      .getByText('0.01', { exact: true })
      .evaluate(cell => {
        const text = document.createRange();
        text.selectNodeContents(cell);
        return new Set([...text.getClientRects()].map(r => Math.round(r.top)))
          .size;
      });
    expect(cpuLines, 'lines of the CPU figure 0.01').toBe(1);
    await expectTablesFit(page, testInfo, 'marathon-actions-any-app');

    const act = async (item: string) => {
      await row.getByRole('button', { name: `Actions for ${ANY_APP}` }).click();
      await page
        .getByRole('menuitem', { name: new RegExp(`^${item}`) })
        .click();
      return page.getByRole('dialog');
    };
    // The page follows Marathon's deployment until Marathon no longer lists it.
    const ended = async (title: string) =>
      expect(page.getByTestId('marathon-action')).toContainText(
        new RegExp(
          `^${title}: Marathon's deployment \\S+ is no longer in progress`,
        ),
        { timeout: 120_000 },
      );

    let asked = await act('Scale');
    await asked.getByLabel('Instances').fill('2');
    await asked.getByRole('button', { name: 'Scale' }).click();
    await ended(`Scale ${ANY_APP} to 2 instances`);
    await expect(row.getByTestId('instances')).toHaveText('2 / 0 / 2', {
      timeout: 60_000,
    });

    asked = await act('Restart');
    await asked.getByRole('button', { name: 'Restart' }).click();
    await ended(`Restart ${ANY_APP}`);

    asked = await act('Suspend');
    await asked.getByRole('button', { name: 'Suspend' }).click();
    await ended(`Suspend ${ANY_APP}`);
    await expect(row.getByTestId('instances')).toHaveText('0 / 0 / 0', {
      timeout: 60_000,
    });

    asked = await act('Destroy');
    await asked.getByLabel(`Type ${ANY_APP} to confirm`).fill(ANY_APP);
    await asked.getByRole('button', { name: 'Destroy' }).click();
    await ended(`Destroy ${ANY_APP}`);
    await expect(row).toHaveCount(0, { timeout: 60_000 });
    const gone = await api(
      'GET',
      `/marathon/local/apps/${encodeURIComponent(ANY_APP.slice(1))}`,
    );
    expect(gone.status, 'the app after destroy').toBe(404);

    // Each action is in archon's audit log, by the signed-in user.
    const audit = await api(
      'GET',
      `/audit?system=marathon&target=${encodeURIComponent(ANY_APP)}`,
    );
    expect(
      (
        audit.body.items as Array<{
          action: string;
          outcome: string;
          actor: string;
        }>
      )
        .map(e => `${e.action} ${e.outcome} ${e.actor.split(':')[0]}`)
        .sort(),
    ).toEqual([
      'marathon-app-destroy success user',
      'marathon-app-restart success user',
      'marathon-app-scale success user',
      'marathon-app-suspend success user',
    ]);
  });
});
