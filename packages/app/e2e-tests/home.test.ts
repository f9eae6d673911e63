// The Home page (#18): archon's cockpit at /, no stock template card; each
// non-zero count links to a page filtered to rows that match it; the graph
// search finds the sample pipeline's topic.
import { api, BASE, expect, gotoWithRetry, test } from './fixtures';
import { expectTablesFit } from './tablesFit';
import { withTimeLaggingGroup } from './timeLaggingGroup';

type Count = { id: string; count?: number; unknown?: string; items?: string[] };

const summary = async (): Promise<Count[]> => {
  const res = await api('GET', '/home/summary');
  expect(res.status).toBe(200);
  return res.body.counts;
};

/** Destroys the test app deployed from `path` on local, then prunes its test root (the path's first segment). */
const removeTestApp = async (path: string) => {
  await api('POST', '/apps/destroy', {
    configPath: path,
    instance: 'local',
    confirm: path,
    wait: true,
  });
  const root = path.split('/')[1];
  await api(
    'DELETE',
    `/config/sets/${root}?prune=true&recursive=true&force=true`,
  );
};

test('home-cockpit', async ({ page }, testInfo) => {
  await gotoWithRetry(page, `${BASE}/`);
  const health = page.getByTestId('home-system-health');
  // Both environments of the embedded profile: local and dr.
  for (const system of [
    'ZooKeeper ensemble local',
    'Kafka cluster local',
    'Connect cluster local',
    'Marathon instance local',
    'ZooKeeper ensemble dr',
    'Kafka cluster dr',
    'Connect cluster dr',
    'Marathon instance dr',
  ]) {
    await expect(
      health.getByRole('listitem').filter({ hasText: system }),
    ).toContainText(
      /^up .*up since (at least )?\d\d:\d\d \(for \d+ (s|min|h)\) · probed \d+ (s|min) ago/,
    );
  }
  const attention = page.getByTestId('home-attention');
  await expect(attention.getByRole('listitem')).toHaveCount(6);
  for (const item of await attention.getByRole('listitem').all()) {
    // A figure or "unknown" (with why), never an empty count.
    await expect(item).toHaveText(/^(\d+|unknown)\S/);
  }
  await expect(page.getByTestId('home-recent-deploys')).toBeVisible();
  for (const stock of ['Getting Started', 'Random Joke', 'Toolkit']) {
    await expect(page.getByText(stock)).toHaveCount(0);
  }
  await expectTablesFit(page, testInfo, 'home');
});

test('home-search-finds-topic', async ({ page }) => {
  await gotoWithRetry(page, `${BASE}/`);
  await page
    .getByLabel('Search apps, topics, connectors, groups, config paths')
    .fill('sample.raw');
  const results = page.getByTestId('home-graph-results');
  await results.getByRole('link', { name: 'sample.raw', exact: true }).click();
  await page.waitForURL(/\/archon\/kafka\/local\/topics\/sample\.raw$/);
});

// One search over both environments (#20): the sample's aggregate topic on
// local and its MirrorMaker replica on dr, each saying its cluster and
// linking to its own cluster's topic page.
test('home-search-finds-both-clusters', async ({ page }, testInfo) => {
  await gotoWithRetry(page, `${BASE}/`);
  await page
    .getByLabel('Search apps, topics, connectors, groups, config paths')
    .fill('sample.aggregated');
  const results = page.getByTestId('home-graph-results');
  const link = (name: string) =>
    results.getByRole('link', { name, exact: true });
  const item = (name: string) =>
    results.getByRole('listitem').filter({
      has: page.getByRole('link', { name, exact: true }),
    });
  await expect(item('sample.aggregated')).toContainText('topic · local');
  await expect(item('local.sample.aggregated')).toContainText('topic · dr');
  await expectTablesFit(page, testInfo, 'home-search-both-clusters');
  await link('local.sample.aggregated').click();
  await page.waitForURL(
    /\/archon\/kafka\/dr\/topics\/local\.sample\.aggregated$/,
  );
});

// What each linked page shows of a count's rows, read once the page settled.
const landings: Record<
  string,
  { check: (page: import('@playwright/test').Page) => Promise<number> }
> = {
  'apps-failing': {
    // "Apps (1 of 7)" while the state filter is on: the first figure.
    check: async page => {
      const title = page.getByText(/^Apps \(\d+( of \d+)?\)$/);
      await expect(title).toBeVisible();
      return Number((await title.innerText()).match(/\d+/)![0]);
    },
  },
  'config-levels-failing': {
    check: async page => {
      const title = page.getByText(/^Levels that do not resolve \(\d+\)$/);
      await expect(title).toBeVisible();
      return Number((await title.innerText()).match(/\d+/)![0]);
    },
  },
  'config-undeployed': {
    check: async page => {
      const title = page.getByText(
        /^Apps with configuration changes not yet deployed \(\d+\)$/,
      );
      await expect(title).toBeVisible();
      return Number((await title.innerText()).match(/\d+/)![0]);
    },
  },
  'drift-edges': {
    check: async page => {
      await expect(
        page.getByRole('checkbox', { name: 'Drift only' }),
      ).toBeChecked();
      await expect(
        page.getByRole('group', { name: /Data-flow diagram/ }),
      ).toBeVisible();
      return page.locator('path[data-drift="true"]').count();
    },
  },
};

test('home-counts-link-to-their-rows', async ({ page }) => {
  const counts = await summary();
  const linked = counts.filter(c => (c.count ?? 0) > 0 && landings[c.id]);
  test.info().annotations.push({
    type: 'counts',
    description: counts
      .map(c => `${c.id}=${c.count ?? `unknown (${c.unknown})`}`)
      .join(', '),
  });
  for (const count of linked) {
    // The rows are live (other tests deploy and break things): the page and
    // the summary agree once both are read in the same moment.
    await expect(async () => {
      await gotoWithRetry(page, `${BASE}/`);
      const row = page.locator(`[data-count="${count.id}"]`);
      await row.getByRole('link').click();
      const shown = await landings[count.id].check(page);
      const now = (await summary()).find(c => c.id === count.id)!;
      expect(shown, `${count.id}: page rows vs the summary`).toBe(now.count);
    }).toPass({ timeout: 90_000, intervals: [2000] });
  }
});

// Consumer groups lagging (#18) by time lag: a group committed before records
// written ten minutes ago (their record timestamps set so) lags at the next
// lag sample; the Home count links to the Kafka page's groups tab filtered to
// lagging groups, which lists it with its time lag and as many rows as counted.
test('home-groups-lagging-lands-on-its-rows', async ({ page }, testInfo) => {
  await withTimeLaggingGroup('e2e-tlag', async ({ group }) => {
    // The portal samples lag once a minute and the graph reads it every 30 s.
    await expect
      .poll(
        async () =>
          (await summary()).find(c => c.id === 'groups-lagging')?.items ?? [],
        { timeout: 180_000, intervals: [5000] },
      )
      .toContain(`group:local/${group}`);

    await expect(async () => {
      await gotoWithRetry(page, `${BASE}/`);
      await page
        .locator('[data-count="groups-lagging"]')
        .getByRole('link')
        .click();
      await page.waitForURL(/tab=groups&lagging=true/);
      await expect(
        page.getByRole('checkbox', { name: /^Lagging only/ }),
      ).toBeChecked();
      const row = page.getByRole('row', { name: new RegExp(group) });
      await expect(row.getByTestId('time-lag')).toHaveAttribute(
        'data-lagging',
        'true',
      );
      await expect(row.getByTestId('time-lag')).toHaveText(/min/);
      const title = page.getByText(/^Consumer groups \(\d+\)$/);
      const shown = Number((await title.innerText()).match(/\d+/)![0]);
      const now = (await summary()).find(c => c.id === 'groups-lagging')!;
      expect(shown, 'lagging groups shown vs the Home count').toBe(now.count);
    }).toPass({ timeout: 120_000, intervals: [3000] });
    await expectTablesFit(page, testInfo, 'home-groups-lagging-landing');
  });
});

// Recent deploys (#17): an app id wider than the card reads as one line that
// ends in an ellipsis, whole in its tooltip; nothing is cut at the card's edge.
test('home-recent-deploys-read-whole', async ({ page }, testInfo) => {
  test.setTimeout(420_000);
  const path = `/e2e-home/recent-${Date.now().toString(
    36,
  )}-an-app-id-longer-than-its-card-is-wide`;
  const apiPath = encodeURIComponent(path.slice(1));
  try {
    const created = await api('PUT', `/config/sets/${apiPath}`, {
      properties: {
        'marathon.cmd': 'while true; do sleep 5; done',
        'marathon.instances': '1',
        'marathon.cpus': '0.05',
        'marathon.mem': '32',
      },
      expectedVersion: -1,
    });
    expect(created.status, `PUT ${path}`).toBe(200);
    const deployed = await api('POST', '/deployments', {
      configPath: path,
      instance: 'local',
      wait: true,
      timeoutSeconds: 180,
    });
    expect(deployed.status, `deploy ${path}`).toBeLessThan(300);

    await gotoWithRetry(page, `${BASE}/`);
    const line = page
      .getByTestId('home-recent-deploys')
      .getByRole('listitem')
      .filter({ hasText: path });
    await expect(line).toBeVisible({ timeout: 30_000 });
    const cut = await line.evaluate(item =>
      [item, ...Array.from(item.querySelectorAll<HTMLElement>('*'))]
        .filter(
          el =>
            el.scrollWidth > el.clientWidth + 1 &&
            getComputedStyle(el).textOverflow !== 'ellipsis',
        )
        .map(el => `${el.tagName} ${el.textContent?.slice(0, 60)}`),
    );
    expect(cut, 'text cut without an ellipsis').toEqual([]);
    await line.locator('[data-identifier]').hover();
    await expect(page.getByRole('tooltip')).toHaveText(path);
    await expectTablesFit(page, testInfo, 'home-recent-deploys');
  } finally {
    await removeTestApp(path);
  }
});

// Apps crash-looping (#18): an app deployed through archon from a test path
// whose command exits 1 turns crash-looping (or degraded, while Marathon
// delays its next launch) on the local Marathon; the Home count holds it, and
// its link lands on the Marathon page filtered to crash-looping and degraded
// apps, which lists it among as many rows as counted. The app and its path
// are removed afterwards.
test('home-apps-failing-lands-on-its-rows', async ({ page }, testInfo) => {
  test.setTimeout(360_000);
  const path = `/e2e-home-crash/loop-${Date.now().toString(36)}`;
  const apiPath = encodeURIComponent(path.slice(1));
  try {
    const created = await api('PUT', `/config/sets/${apiPath}`, {
      properties: {
        'marathon.cmd': 'echo failing on purpose; exit 1',
        'marathon.instances': '1',
        'marathon.cpus': '0.05',
        'marathon.mem': '32',
      },
      expectedVersion: -1,
    });
    expect(created.status, `PUT ${path}`).toBe(200);
    // Not waited for: the deploy ends failed (a crash loop), the app stays.
    const deployed = await api('POST', '/deployments', {
      configPath: path,
      instance: 'local',
    });
    expect(deployed.status, `deploy ${path}`).toBeLessThan(300);
    const appNode = `app:local${path}`;
    await expect
      .poll(
        async () =>
          (await summary()).find(c => c.id === 'apps-failing')?.items ?? [],
        { timeout: 180_000, intervals: [3000] },
      )
      .toContain(appNode);

    await expect(async () => {
      await gotoWithRetry(page, `${BASE}/`);
      const count = page.locator('[data-count="apps-failing"]');
      await expect(count).toContainText(/\d+/);
      await count.getByRole('link').click();
      await page.waitForURL(/state=crash-looping/);
      // Its row in the apps table (the launch queue below names it too).
      await expect(
        page.getByRole('row', {
          name: new RegExp(
            `${path.split('/').pop()}.*(crash-looping|degraded)`,
          ),
        }),
      ).toBeVisible();
      const shown = await landings['apps-failing'].check(page);
      const now = (await summary()).find(c => c.id === 'apps-failing')!;
      expect(shown, 'failing apps shown vs the Home count').toBe(now.count);
      expect(now.count).toBeGreaterThanOrEqual(1);
    }).toPass({ timeout: 120_000, intervals: [3000] });
    await expectTablesFit(page, testInfo, 'home-apps-failing-landing');
  } finally {
    await removeTestApp(path);
  }
});

// Configuration changes not yet deployed (#18): an app deployed from a test
// path, then a key changed there; the Home count holds the path, and its
// link lands on the Configuration page's ?undeployed=true list, which shows
// the path, the app and what changed, with as many rows as counted.
test('home-undeployed-lands-on-its-rows', async ({ page }, testInfo) => {
  test.setTimeout(360_000);
  const path = `/e2e-home-undeployed/app-${Date.now().toString(36)}`;
  const apiPath = encodeURIComponent(path.slice(1));
  const set = (properties: Record<string, string>, expectedVersion: number) =>
    api('PUT', `/config/sets/${apiPath}`, { properties, expectedVersion });
  const properties = {
    'marathon.cmd': 'while true; do sleep 5; done',
    'marathon.instances': '1',
    'marathon.cpus': '0.05',
    'marathon.mem': '32',
  };
  try {
    expect((await set(properties, -1)).status).toBe(200);
    const deployed = await api('POST', '/deployments', {
      configPath: path,
      instance: 'local',
      wait: true,
      timeoutSeconds: 180,
    });
    expect(deployed.status, `deploy ${path}`).toBeLessThan(300);
    expect(
      (await set({ ...properties, 'e2e.greeting': 'changed after deploy' }, 0))
        .status,
    ).toBe(200);
    await expect
      .poll(
        async () =>
          (await summary()).find(c => c.id === 'config-undeployed')?.items ??
          [],
        { timeout: 120_000, intervals: [3000] },
      )
      .toContain(path);

    await expect(async () => {
      await gotoWithRetry(page, `${BASE}/`);
      await page
        .locator('[data-count="config-undeployed"]')
        .getByRole('link')
        .click();
      await page.waitForURL(/undeployed=true/);
      const row = page.getByRole('row', { name: new RegExp(path) });
      await expect(row).toContainText('added e2e.greeting');
      // #20: each row says its target (a path on two targets is two rows).
      await expect(row.getByTestId('undeployed-target')).toHaveText('on local');
      const shown = await landings['config-undeployed'].check(page);
      const now = (await summary()).find(c => c.id === 'config-undeployed')!;
      expect(shown, 'undeployed apps shown vs the Home count').toBe(now.count);
    }).toPass({ timeout: 120_000, intervals: [3000] });
    await expectTablesFit(page, testInfo, 'home-undeployed-landing');
  } finally {
    await removeTestApp(path);
  }
});
