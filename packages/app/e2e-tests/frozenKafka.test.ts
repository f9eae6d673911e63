// The Kafka page while Kafka is frozen (#22): on a private portal with its
// own ZooKeeper and Kafka (startPrivatePortal of @archon/test-utils; the
// shared portal's Kafka is never frozen). Kafka is frozen with SIGSTOP of
// its process group; the page must show the stale banner with the last
// topics and no spinner once the deadline has passed; after the thaw the
// banner goes. Everything started here is stopped by process group, also on
// failure.
import {
  findFreePort,
  PrivateCluster,
  startPrivateCluster,
} from '@archon/local-cluster';
import {
  privateApi,
  startPrivatePortal,
  waitFor,
  type PrivatePortal,
} from '@archon/test-utils';
import type { Page } from '@playwright/test';
import {
  expect,
  log,
  ROOT,
  shot,
  signInAsGuest,
  test,
  token,
} from './fixtures';

/** archon.kafka.requestTimeoutSeconds of the private portal: what "the deadline" is below. */
const KAFKA_DEADLINE_S = 5;
/** How long after the deadline the page may take to settle. */
const SETTLE_MS = 10_000;
/** The deadline and a few seconds: what the page may take to settle. */
const SETTLE = KAFKA_DEADLINE_S * 1000 + SETTLE_MS;
const TOPIC = 'e2e-frozen-orders';
const STALE_BANNER =
  /Kafka cluster "local" is not reachable: showing what archon last saw/;

test.describe.configure({ mode: 'serial' });

let cluster: PrivateCluster | undefined;
let portal: PrivatePortal | undefined;
/** One page through the three steps, signed in on the private portal (cookies are per host, not per port: not the guest state of the shared portal). */
let page: Page;

test.beforeAll(async ({ browser }) => {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
  });
  page = await context.newPage();
});

test.afterEach(async ({}, testInfo) => {
  await shot(page, testInfo, testInfo.title);
});

test.afterAll(async () => {
  test.setTimeout(120_000);
  await page
    ?.context()
    .close()
    .catch(() => {});
  await portal
    ?.stop()
    .catch(e => log(`stopping the second portal: ${e.message}`));
  await cluster
    ?.dispose()
    .catch(e => log(`stopping the private cluster: ${e.message}`));
});

const kafkaPage = (tab: string) =>
  `${portal!.url}/archon/kafka?cluster=local&tab=${tab}`;
const banner = () => page.getByText(STALE_BANNER);
const topicRow = () => page.getByRole('cell', { name: TOPIC });
const groupsTitle = () => page.getByText(/^Consumer groups \(\d+\)$/);
/** No progress spinner is left by `until` (a timestamp). */
const noSpinner = (until: number, what: string) =>
  expect(
    page.locator('[role="progressbar"]'),
    `${what}: a spinner`,
  ).toHaveCount(0, { timeout: Math.max(1000, until - Date.now()) });

test('frozen-kafka-private-portal', async ({}, testInfo) => {
  test.setTimeout(900_000);
  cluster = await startPrivateCluster(['zookeeper', 'kafka'], {
    label: 'e2e-frozen-kafka',
  });
  log(
    `private ZooKeeper and Kafka on ${cluster.info.zookeeper.connectionString} and ${cluster.info.kafka.brokers[0]}`,
  );
  portal = await startPrivatePortal({
    root: ROOT,
    port: await findFreePort(),
    cluster,
    token: token(),
    logFile: testInfo.outputPath('frozen-kafka-backend.log'),
    config: `archon:\n  kafka:\n    requestTimeoutSeconds: ${KAFKA_DEADLINE_S}`,
    log,
  });
  const url = portal.url;
  const created = await waitFor(
    async () => {
      const res = await privateApi(portal!, 'POST', '/kafka/local/topics', {
        name: TOPIC,
        partitions: 1,
        replicationFactor: 1,
      });
      return res.status === 201 || res.status === 409 ? res : undefined;
    },
    60_000,
    `topic ${TOPIC} created on the private Kafka`,
    2000,
  );
  log(`topic ${TOPIC} on the private Kafka: ${created.status}`);
  // The guest signs in as the catalog's user:default/guest: wait for the catalog to have read it.
  await waitFor(
    async () =>
      (
        await fetch(`${url}/api/catalog/entities/by-name/user/default/guest`, {
          headers: { Authorization: `Bearer ${token()}` },
          signal: AbortSignal.timeout(10_000),
        })
      ).ok,
    120_000,
    "user:default/guest in the second portal's catalog",
    1000,
  );
  await signInAsGuest(page, testInfo, url);
});

test('frozen-kafka-page-shows-stale-banner', async () => {
  // Read both lists once while Kafka answers: what archon serves later, marked stale.
  await page.goto(kafkaPage('groups'));
  await expect(groupsTitle()).toBeVisible();
  await page.goto(kafkaPage('topics'));
  await expect(topicRow()).toBeVisible();
  expect(
    await banner().isVisible(),
    'the stale banner shows while Kafka answers',
  ).toBe(false);
  await cluster!.freeze('kafka');
  try {
    for (const [tab, shown] of [
      ['topics', topicRow()],
      ['groups', groupsTitle()],
    ] as const) {
      const loadedAt = Date.now();
      await page.goto(kafkaPage(tab));
      await expect(banner()).toBeVisible({ timeout: SETTLE });
      // The last answer is still shown, and nothing keeps loading.
      await expect(shown).toBeVisible({ timeout: 5_000 });
      await noSpinner(loadedAt + SETTLE, tab);
      log(
        `${tab}: stale banner and no spinner ${
          Date.now() - loadedAt
        } ms after loading the page of the frozen Kafka`,
      );
    }
  } finally {
    await cluster!.thaw('kafka');
  }
});

test('frozen-kafka-banner-gone-after-thaw', async () => {
  // Kafka's clients reconnect by themselves; reload until the list is current again.
  await expect(async () => {
    const loadedAt = Date.now();
    await page.goto(kafkaPage('topics'));
    await expect(topicRow()).toBeVisible({ timeout: SETTLE });
    await noSpinner(loadedAt + SETTLE, 'topics after the thaw');
    expect(await banner().isVisible(), 'the stale banner').toBe(false);
  }).toPass({ timeout: 90_000, intervals: [1000] });
});
