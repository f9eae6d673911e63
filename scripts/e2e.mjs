#!/usr/bin/env node
// End-to-end checks of the portal in real headless Chromium.
//
//   node scripts/e2e.mjs        (or: yarn test:e2e)
//
// Expects the portal on http://localhost:7007 (ARCHON_BACKEND_PORT's port, or
// ARCHON_E2E_URL) and starts it
// with scripts/start.sh --detach when it does not answer. Installs Debian's
// chromium with apt-get when /usr/bin/chromium is missing (fresh CI machines);
// playwright-core drives it, no browser is downloaded. Screenshots go to
// test-artifacts/e2e/. The last line is `e2e: N passed, M failed`; the exit
// code is non-zero when a check failed.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cliLoginChecks } from './e2e/cliLogin.mjs';
import { frozenKafkaChecks } from './e2e/frozenKafka.mjs';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BASE = (
  process.env.ARCHON_E2E_URL ??
  `http://localhost:${process.env.ARCHON_BACKEND_PORT ?? 7007}`
).replace(/\/$/, '');
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'test-artifacts', 'e2e');
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const UI_TIMEOUT = 30_000;

const log = (...args) => console.log('e2e:', ...args);
const sleep = ms => new Promise(r => setTimeout(r, ms));

// --- environment ---------------------------------------------------------

function ensureChromium() {
  if (existsSync(CHROMIUM)) return;
  log(`${CHROMIUM} is missing; installing Debian's chromium with apt-get`);
  const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  const apt = (...args) => {
    const [cmd, argv] = asRoot
      ? ['apt-get', args]
      : ['sudo', ['-n', 'apt-get', ...args]];
    const result = spawnSync(cmd, argv, {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (result.status !== 0) {
      throw new Error(
        `apt-get ${args.join(' ')} failed (exit ${
          result.status
        }); install chromium yourself`,
      );
    }
  };
  apt('update');
  apt('install', '-y', 'chromium');
  if (!existsSync(CHROMIUM))
    throw new Error(
      `apt-get installed chromium but ${CHROMIUM} is still missing`,
    );
}

async function answers(url, init) {
  try {
    const res = await fetch(url, {
      ...init,
      signal: AbortSignal.timeout(5000),
    });
    return res.ok;
  } catch {
    return false;
  }
}

async function ensurePortal() {
  const ready = `${BASE}/.backstage/health/v1/readiness`;
  if (await answers(ready)) return;
  log(
    `the portal does not answer at ${BASE}; starting it with scripts/start.sh --detach`,
  );
  const result = spawnSync(join(ROOT, 'scripts', 'start.sh'), ['--detach'], {
    stdio: 'inherit',
    cwd: ROOT,
  });
  if (result.status !== 0)
    throw new Error(`scripts/start.sh --detach failed (exit ${result.status})`);
  await waitForPortal();
}

/** The backend runs in watch mode and may be restarting: wait for it. */
async function waitForPortal(timeoutMs = 180_000) {
  const ready = `${BASE}/.backstage/health/v1/readiness`;
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (await answers(ready)) return;
    await sleep(2000);
  }
  throw new Error(
    `the portal did not become ready at ${BASE} within ${timeoutMs / 1000} s`,
  );
}

function token() {
  const file = join(ROOT, '.archon', 'api-token');
  if (!existsSync(file))
    throw new Error(`${file} is missing; scripts/start.sh creates it`);
  return readFileSync(file, 'utf8').trim();
}

/** Calls the archon API with the static token, retrying while the backend restarts. */
async function api(method, path, body) {
  let lastError;
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      const res = await fetch(`${BASE}/api/archon${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token()}`,
          'Content-Type': 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await res.text();
      let json;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      if (res.status >= 502 && attempt < 5) {
        lastError = new Error(`${method} ${path}: ${res.status}`);
      } else {
        return { status: res.status, body: json };
      }
    } catch (error) {
      lastError = error;
    }
    await waitForPortal(60_000).catch(() => {});
    await sleep(1000);
  }
  throw lastError;
}

// --- the checks ------------------------------------------------------------

const results = [];
let shot = 0;

async function screenshot(page, name) {
  shot += 1;
  const file = join(ARTIFACTS, `${String(shot).padStart(2, '0')}-${name}.png`);
  await page
    .screenshot({ path: file, fullPage: true })
    .catch(e => log(`screenshot ${name} failed: ${e.message}`));
  return file;
}

/**
 * Runs one named check with a screenshot after it. The backend restarts
 * when others edit its files, so a failed check is retried once after the
 * portal answers again (`fn` gets the attempt number and must be retryable).
 */
async function check(name, page, fn) {
  const started = Date.now();
  let lastError;
  for (let attempt = 1; attempt <= 2; attempt++) {
    try {
      await fn(attempt);
      const file = await screenshot(page, name);
      results.push({ name, ok: true });
      log(
        `PASS ${name} (${Date.now() - started} ms${
          attempt > 1 ? ', on retry' : ''
        }) ${file}`,
      );
      return;
    } catch (error) {
      lastError = error;
      const file = await screenshot(page, `${name}-attempt${attempt}-FAILED`);
      log(
        `${attempt === 1 ? 'retrying' : 'FAIL'} ${name}: ${
          error?.message?.split('\n')[0]
        } (${file})`,
      );
      if (attempt === 1) await waitForPortal().catch(() => {});
    }
  }
  results.push({ name, ok: false, error: lastError });
}

const skipped = [];
function skip(name, why) {
  skipped.push(name);
  log(`SKIP ${name}: ${why}`);
}

/** Catalog entities matching a filter, read with the static token (none when the catalog cannot answer). */
async function catalogEntities(filter) {
  try {
    const res = await fetch(
      `${BASE}/api/catalog/entities/by-query?filter=${encodeURIComponent(
        filter,
      )}&limit=50&fields=kind,metadata.name,metadata.namespace,metadata.annotations`,
      {
        headers: { Authorization: `Bearer ${token()}` },
        signal: AbortSignal.timeout(20_000),
      },
    );
    return res.ok ? (await res.json()).items ?? [] : [];
  } catch {
    return [];
  }
}

/**
 * The first entity matching the filter and `pick`, waiting for it: entities
 * for what start.sh seeded appear with the provider's next run (every minute
 * in the embedded profile), which may come after the e2e started.
 */
async function catalogEntityEventually(
  filter,
  pick = () => true,
  timeoutMs = 150_000,
) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const found = (await catalogEntities(filter)).find(pick);
    if (found || Date.now() > until) return found;
    await new Promise(r => setTimeout(r, 5_000));
  }
}

/** The app's sidebar (its <nav> has no box of its own: wait on its links). */
const sidebar = page => page.getByRole('navigation', { name: 'sidebar nav' });

/** The first navigation may hit a backend restart: retry it. */
async function gotoWithRetry(page, url, timeoutMs = 180_000) {
  const until = Date.now() + timeoutMs;
  let lastError;
  while (Date.now() < until) {
    try {
      const res = await page.goto(url, {
        waitUntil: 'domcontentloaded',
        timeout: 30_000,
      });
      if (res && res.ok()) return;
      lastError = new Error(`${url} answered ${res?.status()}`);
    } catch (error) {
      lastError = error;
    }
    await sleep(3000);
  }
  throw lastError;
}

// --- apps, ZooKeeper, Marathon ---------------------------------------------

/** archon's own demo app: a configuration path the e2e deploys (never the sample pipeline's apps). */
const DEMO_PATH = '/e2e-portal/demo';
const DEMO_API = encodeURIComponent(DEMO_PATH.slice(1));
const DEMO_SET = {
  'marathon.cmd': 'while true; do echo "demo says $GREETING"; sleep 5; done',
  'marathon.instances': '1',
  'marathon.cpus': '0.05',
  'marathon.mem': '32',
};

/** The catalog entity of the demo app, deploying it first when it never ran (the Marathon provider then lists it). */
async function demoEntity(timeoutMs = 420_000) {
  const find = async () =>
    (
      await catalogEntities(
        `kind=component,metadata.annotations.archon.io/config-path=${DEMO_PATH}`,
      )
    )[0];
  let entity = await find();
  if (entity) return entity;
  const set = await api('PATCH', `/config/sets/${DEMO_API}`, { set: DEMO_SET });
  if (set.status === 404) {
    const created = await api('PUT', `/config/sets/${DEMO_API}`, {
      properties: { ...DEMO_SET, greeting: 'first deploy' },
      expectedVersion: -1,
    });
    if (created.status !== 200)
      throw new Error(`PUT ${DEMO_PATH} answered ${created.status}`);
  } else if (set.status !== 200) {
    throw new Error(`PATCH ${DEMO_PATH} answered ${set.status}`);
  }
  const status = await api(
    'GET',
    `/apps/status?instance=local&configPath=${encodeURIComponent(DEMO_PATH)}`,
  );
  if (!status.body?.exists) {
    log(
      `deploying ${DEMO_PATH} through the API so the catalog gets its entity`,
    );
    const deployed = await api('POST', '/deployments', {
      configPath: DEMO_PATH,
      instance: 'local',
      wait: true,
      timeoutSeconds: 120,
    });
    if (deployed.body?.status !== 'succeeded')
      throw new Error(
        `the first deploy ended ${JSON.stringify(deployed.body)}`,
      );
  }
  log('waiting for the Marathon catalog provider to list the demo app');
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    entity = await find();
    if (entity) return entity;
    await sleep(10_000);
  }
  return undefined;
}

async function deployChecks(page) {
  const entity = await demoEntity().catch(e => {
    log(`demo app: ${e.message}`);
    return undefined;
  });
  if (!entity) {
    for (const name of ['deploy-tab', 'monitor-tab', 'app-overview-card'])
      skip(name, `no catalog entity for ${DEMO_PATH} yet`);
    return;
  }
  const base = `${BASE}/catalog/${
    entity.metadata.namespace ?? 'default'
  }/component/${entity.metadata.name}`;

  await check('deploy-tab', page, async () => {
    // A configuration change the deploy ships.
    const greeting = `deployed from the browser at ${new Date().toISOString()}`;
    const set = await api('PATCH', `/config/sets/${DEMO_API}`, {
      set: { ...DEMO_SET, greeting },
    });
    if (set.status !== 200) throw new Error(`PATCH answered ${set.status}`);
    await gotoWithRetry(page, `${base}/deploy`);
    await page.getByTestId('app-status').waitFor();
    await page.getByRole('button', { name: 'Preview changes' }).click();
    const plan = page.getByTestId('deploy-plan');
    await plan.getByText(/^Configuration: \d+ changes? since/).waitFor();
    await plan
      .getByRole('table', {
        name: 'Configuration changes since the running release',
      })
      .getByText(greeting)
      .waitFor();
    await page.getByRole('button', { name: 'Deploy…' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByTestId('deploy-plan').waitFor();
    await screenshot(page, 'deploy-confirm');
    await dialog.getByRole('button', { name: 'Deploy now' }).click();
    const progress = page.getByTestId('flow-progress');
    await progress
      .getByRole('log', { name: 'Deploy progress' })
      .locator('li')
      .first()
      .waitFor({ timeout: 60_000 });
    await screenshot(page, 'deploy-progress');
    const done = progress.getByText(/^deploy (succeeded|failed|timeout)/);
    await done.waitFor({ timeout: 150_000 });
    const text = await done.innerText();
    const release = /release (\S+)\)/.exec(text)?.[1];
    if (!text.startsWith('deploy succeeded') || !release)
      throw new Error(`the deploy ended: ${text}`);
    // The new release is in the history and is what runs now.
    await page.getByRole('cell', { name: release }).first().waitFor();
    await page.getByTestId('app-status').getByText(release).waitFor();
    const runs = await api(
      'GET',
      `/apps/status?instance=local&configPath=${encodeURIComponent(DEMO_PATH)}`,
    );
    if (runs.body?.releaseId !== release)
      throw new Error(
        `the API says ${runs.body?.releaseId} runs, not ${release}`,
      );
  });

  // #13: the live release is marked and offers no roll back; destroy sits behind a typed name.
  await check('deploy-tab-release-states', page, async () => {
    await gotoWithRetry(page, `${base}/deploy`);
    const runs = await api(
      'GET',
      `/apps/status?instance=local&configPath=${encodeURIComponent(DEMO_PATH)}`,
    );
    const live = runs.body?.releaseId;
    if (!live) throw new Error(`no release runs: ${JSON.stringify(runs.body)}`);
    const row = page.getByRole('row').filter({ hasText: live });
    await row.getByText(/^live/).waitFor({ timeout: 30_000 });
    if (
      (await row
        .getByRole('button', { name: `Roll back to ${live}` })
        .count()) !== 0
    )
      throw new Error(`the live release ${live} offers a roll back`);
    await page.getByRole('button', { name: 'Destroy…' }).click();
    const dialog = page.getByRole('dialog');
    const destroy = dialog.getByRole('button', { name: 'Destroy' });
    if (!(await destroy.isDisabled()))
      throw new Error('Destroy is enabled before the path is typed');
    await screenshot(page, 'deploy-destroy-confirm');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  // #13: any configuration level deploys from the Configuration page.
  await check('config-page-deploy', page, async () => {
    await gotoWithRetry(
      page,
      `${BASE}/archon/config?path=${encodeURIComponent(DEMO_PATH)}`,
    );
    await page.getByRole('button', { name: `Deploy ${DEMO_PATH}` }).click();
    const dialog = page.getByRole('dialog', { name: `Deploy ${DEMO_PATH}` });
    await dialog.getByLabel('Target').waitFor();
    await dialog.getByRole('button', { name: 'Preview changes' }).click();
    await dialog.getByTestId('deploy-plan').waitFor({ timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Deploy…' }).click();
    await page.getByRole('button', { name: 'Deploy now' }).click();
    const done = dialog.getByText(/^deploy (succeeded|failed|timeout)/);
    await done.waitFor({ timeout: 150_000 });
    await screenshot(page, 'config-page-deploy');
    const text = await done.innerText();
    if (!text.startsWith('deploy succeeded'))
      throw new Error(`the deploy ended: ${text}`);
  });

  await check('monitor-tab', page, async () => {
    await gotoWithRetry(page, `${base}/monitor`);
    const task = page.getByRole('button', { name: /^Logs of / }).first();
    await task.waitFor({ timeout: 60_000 });
    await page.getByTestId('event-feed-state').getByText('live').waitFor();
    await task.click();
    await page
      .getByLabel(/^stdout of /)
      .getByText(/demo says/)
      .first()
      .waitFor({ timeout: 30_000 });
  });

  await check('app-overview-card', page, async () => {
    await gotoWithRetry(page, base);
    const card = page.getByTestId('app-overview');
    await card.getByText(/\d+ of \d+ tasks healthy/).waitFor();
    await card.getByText(/Current release: /).waitFor();
    await card
      .getByText(/configuration change|No configuration changes/)
      .waitFor();
  });
}

async function zookeeperChecks(page) {
  const znode = `/e2e-zk-${Date.now().toString(36)}`;
  const znodeApi = encodeURIComponent(znode);
  await check('zookeeper-page', page, async attempt => {
    if (attempt === 1) {
      const created = await api('POST', `/zookeeper/local/znodes/${znodeApi}`, {
        data: { json: { color: 'blue' } },
      });
      if (created.status !== 201 && created.status !== 409)
        throw new Error(`creating ${znode} answered ${created.status}`);
      await api(
        'POST',
        `/zookeeper/local/znodes/${encodeURIComponent(`${znode}/child`)}`,
        {
          data: { text: 'child' },
        },
      );
      await gotoWithRetry(page, `${BASE}/`);
      await sidebar(page)
        .getByRole('link', { name: 'ZooKeeper', exact: true })
        .click();
    } else {
      await gotoWithRetry(page, `${BASE}/archon/zookeeper`);
    }
    const tree = page.getByRole('tree', { name: 'Znodes of local' });
    await tree.getByText(znode.slice(1), { exact: true }).click();
    await tree.getByText('child', { exact: true }).waitFor();
    const data = page.getByLabel(/^Data of \/e2e-zk-.* \(json, version 0/);
    await data.waitFor();
    await screenshot(page, 'zookeeper-browse');
    await data.fill('{"color": "green"}');
    // A raw save shows the diff and asks first.
    await page.getByRole('button', { name: 'Save…', exact: true }).click();
    const confirmSave = page.getByRole('dialog');
    await confirmSave.getByText('+ {"color": "green"}').waitFor();
    await confirmSave
      .getByRole('button', { name: 'Save', exact: true })
      .click();
    await page.getByText(`Saved ${znode} (version 1).`).waitFor();
    const read = await api('GET', `/zookeeper/local/znodes/${znodeApi}`);
    if (read.body?.data?.text !== '{"color": "green"}')
      throw new Error(`ZooKeeper holds ${JSON.stringify(read.body?.data)}`);
    await page.getByRole('table', { name: 'ACL' }).waitFor();
  });
  await check('zookeeper-create-delete-znode', page, async () => {
    const parent = `/e2e-zk-cd-${Date.now().toString(36)}`;
    const created = await api(
      'POST',
      `/zookeeper/local/znodes/${encodeURIComponent(parent)}`,
      {
        data: { text: 'parent' },
      },
    );
    if (created.status !== 201)
      throw new Error(`creating ${parent} answered ${created.status}`);
    await gotoWithRetry(
      page,
      `${BASE}/archon/zookeeper?ensemble=local&path=${encodeURIComponent(
        parent,
      )}`,
    );
    await page.getByLabel(/^Data of \/e2e-zk-cd-/).waitFor();
    await page.getByRole('button', { name: 'New znode…' }).click();
    const create = page.getByRole('dialog');
    await create.getByLabel('Name').fill('made-in-ui');
    await create.getByLabel('Data (text, may be empty)').fill('hello');
    await create.getByRole('button', { name: 'Create', exact: true }).click();
    await page
      .getByLabel(new RegExp(`^Data of ${parent}/made-in-ui`))
      .waitFor();
    const read = await api(
      'GET',
      `/zookeeper/local/znodes/${encodeURIComponent(`${parent}/made-in-ui`)}`,
    );
    if (read.body?.data?.text !== 'hello')
      throw new Error(`ZooKeeper holds ${JSON.stringify(read.body?.data)}`);
    // Delete the parent with its child: the count is shown and the path must be typed.
    await gotoWithRetry(
      page,
      `${BASE}/archon/zookeeper?ensemble=local&path=${encodeURIComponent(
        parent,
      )}`,
    );
    await page.getByLabel(/^Data of \/e2e-zk-cd-/).waitFor();
    await page.getByRole('button', { name: 'Delete…' }).click();
    const del = page.getByRole('dialog');
    await del
      .getByText(`Deletes ${parent} and everything below it: 2 znodes.`)
      .waitFor();
    const button = del.getByRole('button', { name: 'Delete 2 znodes' });
    if (await button.isEnabled())
      throw new Error('delete is possible before the path was typed');
    await del.getByLabel('Path').fill(parent);
    await screenshot(page, 'zookeeper-delete-znode');
    await button.click();
    await del.waitFor({ state: 'detached' });
    const gone = await api(
      'GET',
      `/zookeeper/local/znodes/${encodeURIComponent(parent)}`,
    );
    if (gone.status !== 404)
      throw new Error(`${parent} answered ${gone.status} after the delete`);
  });
  await api(
    'DELETE',
    `/zookeeper/local/znodes/${znodeApi}?expectedVersion=-1&recursive=true&expectedCount=2`,
  ).catch(() => {});
}

async function marathonChecks(page) {
  await check('marathon-page', page, async attempt => {
    if (attempt === 1) {
      await gotoWithRetry(page, `${BASE}/`);
      await sidebar(page)
        .getByRole('link', { name: 'Marathon', exact: true })
        .click();
    } else {
      await gotoWithRetry(page, `${BASE}/archon/marathon`);
    }
    await page.getByText(/^Apps \(\d+\)$/).waitFor();
    const apps = await api('GET', '/marathon/local/apps');
    const first = (apps.body?.items ?? []).map(a => a.id).sort()[0];
    const wanted = (apps.body?.items ?? []).some(a => a.id === DEMO_PATH)
      ? DEMO_PATH
      : first;
    if (!wanted) throw new Error('Marathon runs no app');
    await page.getByLabel('Filter apps').fill(wanted);
    await page
      .getByRole('cell', { name: wanted, exact: true })
      .or(page.getByRole('link', { name: wanted, exact: true }))
      .first()
      .waitFor();
    await page
      .getByText(/No deployment in progress\.|Deployments in flight/)
      .first()
      .waitFor();
  });

  await check('gateway-page', page, async () => {
    await gotoWithRetry(page, `${BASE}/archon/gateway`);
    await page.getByText(/^Routes \(\d+\)$/).waitFor();
  });
}

/** The Pipelines page draws every stage of the seeded sample pipeline. */
async function pipelinesChecks(page) {
  await check('pipelines-page', page, async attempt => {
    if (attempt === 1) {
      await gotoWithRetry(page, `${BASE}/`);
      await sidebar(page)
        .getByRole('link', { name: 'Pipelines', exact: true })
        .click();
    } else {
      await gotoWithRetry(page, `${BASE}/archon/pipelines`);
    }
    await page.getByLabel('Search nodes').fill('sample');
    const diagram = page.getByRole('group', { name: /Data-flow diagram/ });
    for (const [kind, name] of [
      ['topic', 'sample.raw'],
      ['topic', 'sample.enriched'],
      ['topic', 'sample.aggregated'],
      ['app', '/sample/pipeline/enricher'],
      ['app', '/sample/pipeline/aggregator'],
      ['connector', 'sample-file-source'],
      ['connector', 'sample-file-sink'],
    ]) {
      await diagram
        .getByRole('button', { name: new RegExp(`^${kind} ${name}, `) })
        .waitFor();
    }
    await diagram
      .getByRole('button', { name: /^app \/sample\/pipeline\/enricher, / })
      .click();
    const panel = page.getByRole('region', {
      name: 'Details of app:local/sample/pipeline/enricher',
    });
    await panel
      .getByText(/^produces-to/)
      .first()
      .waitFor();
    await panel.getByRole('link').first().waitFor();
  });
}

/** The "Connector" tab of the sample pipeline's file sink: its state and the topic it reads. */
async function connectorTabChecks(page) {
  const name = 'sample-file-sink';
  const entity = await catalogEntityEventually(
    `kind=component,spec.type=kafka-connector,metadata.annotations.archon.io/connector=${name}`,
  );
  if (!entity) {
    skip('connector-tab', `no catalog entity for the connector ${name} yet`);
    return;
  }
  await check('connector-tab', page, async () => {
    await gotoWithRetry(
      page,
      `${BASE}/catalog/${entity.metadata.namespace ?? 'default'}/component/${
        entity.metadata.name
      }/connector`,
    );
    await page.getByText('RUNNING').first().waitFor({ timeout: 60_000 });
    await page
      .getByRole('list', { name: `Topics of ${name}` })
      .getByText('sample.aggregated')
      .waitFor({ timeout: 60_000 });
    await page.getByRole('table', { name: 'Connector config' }).waitFor();
  });
}

/**
 * The "New streaming app" template from the browser: the form, the task run
 * to the end (configuration in ZooKeeper, output topic in Kafka, app on the
 * local Marathon), then the app in the catalog. Each run uses a fresh
 * configuration path and output topic under e2e prefixes and removes them
 * afterwards, as the template's backend test does (destroy the app, delete
 * the topic) plus the configuration level it wrote.
 */
async function scaffolderChecks(page) {
  const stamp = Date.now().toString(36);
  const configPath = `/e2e-scaffolder/app-${stamp}`;
  const outputTopic = `e2e.scaffolder.${stamp}`;
  const inputTopic = 'sample.enriched';
  let created = false;
  try {
    await check('scaffolder-new-streaming-app', page, async attempt => {
      if (attempt > 1 && created)
        throw new Error('the first attempt already ran the template');
      await gotoWithRetry(page, `${BASE}/create`);
      // The innermost card with this template's title (not the grid around all cards).
      const card = page
        .locator('.MuiCard-root')
        .filter({ hasText: 'New streaming app' })
        .filter({ hasNotText: 'Example Node.js Template' })
        .last();
      await card.getByRole('button', { name: 'Choose' }).click();
      // 1. The app
      await page.locator('#root_configPath').fill(configPath);
      const owner = page.locator('#root_owner');
      await owner.click();
      await owner.fill('guests');
      await page
        .getByRole('option', { name: /guests/ })
        .first()
        .click();
      await screenshot(page, 'scaffolder-form-app');
      await page.getByRole('button', { name: 'Next' }).click();
      // 2. Topics (the input topic is the sample pipeline's)
      const firstInput = page.locator('#root_inputTopics_0');
      if (!(await firstInput.isVisible().catch(() => false)))
        await page.getByRole('button', { name: 'Add Item' }).click();
      await firstInput.fill(inputTopic);
      await page.locator('#root_outputTopic').fill(outputTopic);
      await page.getByRole('button', { name: 'Next' }).click();
      // 3. How it runs: a shell loop, as the demo app runs on the local Marathon
      await page
        .locator('#root_command')
        .fill(
          'while true; do echo "scaffolded app reads $KAFKA_INPUT_TOPICS"; sleep 5; done',
        );
      await page.getByRole('button', { name: 'Review' }).click();
      await page.getByText(configPath).first().waitFor();
      await screenshot(page, 'scaffolder-review');
      await page.getByRole('button', { name: 'Create' }).click();
      created = true;
      // The task page: its output links appear once every step succeeded.
      const done = page
        .getByRole('link', { name: 'App in the catalog' })
        .or(page.getByText(/Failed|failed/).first());
      await done.first().waitFor({ timeout: 240_000 });
      await screenshot(page, 'scaffolder-task');
      if (
        !(await page
          .getByRole('link', { name: 'App in the catalog' })
          .isVisible())
      )
        throw new Error('the scaffolder task failed');
      const status = await api(
        'GET',
        `/apps/status?instance=local&configPath=${encodeURIComponent(
          configPath,
        )}`,
      );
      if (!status.body?.exists)
        throw new Error(
          `${configPath} does not run: ${JSON.stringify(status.body)}`,
        );
      // The Marathon catalog provider lists the new app on its next read.
      const until = Date.now() + 180_000;
      let entity;
      while (!entity && Date.now() < until) {
        entity = (
          await catalogEntities(
            `kind=component,metadata.annotations.archon.io/config-path=${configPath}`,
          )
        )[0];
        if (!entity) await sleep(5000);
      }
      if (!entity)
        throw new Error(`the catalog lists no component for ${configPath}`);
      await page.getByRole('link', { name: 'App in the catalog' }).click();
      await page
        .getByRole('heading', { name: entity.metadata.name })
        .first()
        .waitFor({ timeout: 60_000 });
      await page
        .getByText(/\d+ of \d+ tasks healthy/)
        .first()
        .waitFor({ timeout: 60_000 });
    });
  } finally {
    if (created) {
      const destroyed = await api('POST', '/apps/destroy', {
        configPath,
        instance: 'local',
        confirm: configPath,
        wait: true,
      }).catch(e => ({ status: e.message }));
      const topic = await api(
        'DELETE',
        `/kafka/local/topics/${outputTopic}?confirm=${outputTopic}`,
      ).catch(e => ({ status: e.message }));
      const level = await api(
        'DELETE',
        `/config/sets/${encodeURIComponent(configPath.slice(1))}`,
      ).catch(e => ({ status: e.message }));
      log(
        `cleaned up the scaffolded app: destroy ${destroyed.status}, topic ${topic.status}, config ${level.status}`,
      );
    }
  }
}

async function main() {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  ensureChromium();
  await ensurePortal();

  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  page.setDefaultTimeout(UI_TIMEOUT);
  const consoleErrors = [];
  page.on('console', m => {
    if (m.type() === 'error') consoleErrors.push(m.text());
  });
  page.on('response', r => {
    if (r.url().includes('/api/archon/') && r.status() >= 500) {
      consoleErrors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
    }
  });

  const level = `/e2e-${Date.now().toString(36)}`;
  const levelApi = encodeURIComponent(level.slice(1));
  const child = `${level}/child`;
  const childApi = encodeURIComponent(child.slice(1));
  let edited = `edited in the browser at ${new Date().toISOString()}`;

  try {
    await check('sign-in-as-guest', page, async () => {
      await gotoWithRetry(page, `${BASE}/`);
      const enter = page.getByRole('button', { name: /enter/i });
      const home = sidebar(page).getByRole('link', {
        name: 'Catalog',
        exact: true,
      });
      await enter.or(home).first().waitFor();
      if (await enter.isVisible()) {
        await screenshot(page, 'sign-in-page');
        await enter.click();
      }
      await home.waitFor();
    });

    await check('catalog', page, async attempt => {
      // A freshly started portal's catalog fills with its first processing
      // loop: wait (with a deadline) for a component before looking at the table.
      await catalogEntityEventually('kind=component');
      // The catalog is the landing page here (app-config mounts it at /).
      if (attempt > 1) await gotoWithRetry(page, `${BASE}/`);
      await sidebar(page)
        .getByRole('link', { name: 'Catalog', exact: true })
        .click();
      await page
        .getByText(/^All (components|resources|systems|apis)/i)
        .first()
        .waitFor();
      await page.locator('table tbody tr:visible').first().waitFor();
    });

    await check('sidebar-entries', page, async () => {
      const nav = sidebar(page);
      for (const name of [
        'archon',
        'Configuration',
        'Kafka',
        'Kafka Connect',
        'ZooKeeper',
        'Marathon',
        'Gateway',
        'Pipelines',
      ]) {
        await nav.getByRole('link', { name, exact: true }).first().waitFor();
      }
    });

    await check('systems-page', page, async attempt => {
      if (attempt === 1) {
        await sidebar(page)
          .getByRole('link', { name: 'archon', exact: true })
          .click();
        await page.waitForURL(/\/archon$/);
      } else {
        await gotoWithRetry(page, `${BASE}/archon`);
      }
      const table = page.getByRole('table').first();
      await table.waitFor();
      for (const kind of ['zookeeper', 'kafka', 'kafka-connect']) {
        const row = table
          .locator('tr', { has: page.getByText(kind, { exact: true }) })
          .first();
        await row.waitFor();
        const text = await row.innerText();
        if (!/\bup\b/.test(text))
          throw new Error(`${kind} is not up: ${text.replace(/\s+/g, ' ')}`);
      }
    });

    await check('config-create-level-through-api', page, async () => {
      const res = await api('PUT', `/config/sets/${levelApi}`, {
        properties: { greeting: 'hello', color: 'blue' },
        expectedVersion: -1,
      });
      if (res.status !== 200)
        throw new Error(
          `PUT ${level} answered ${res.status}: ${JSON.stringify(res.body)}`,
        );
    });

    await check('config-edit-value-in-ui', page, async attempt => {
      const before = await api('GET', `/config/sets/${levelApi}`);
      const was = before.body?.properties?.greeting;
      const next = attempt === 1 ? edited : `${edited} (retry)`;
      await gotoWithRetry(
        page,
        `${BASE}/archon/config?path=${encodeURIComponent(level)}`,
      );
      // The new level shows up in the tree, selected.
      await page
        .getByRole('tree', { name: 'Configuration levels' })
        .getByText(level.slice(1), { exact: true })
        .waitFor();
      const value = page.getByLabel('Value of greeting');
      await value.waitFor();
      if ((await value.inputValue()) !== was)
        throw new Error(
          `greeting shows "${await value.inputValue()}", not "${was}"`,
        );
      await value.fill(next);
      await page.getByText(`was: ${was}`).waitFor();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      const version = before.body.version + 1;
      await page
        .getByText(`Saved ${level} (version ${version}); changed: greeting.`)
        .waitFor();
      const res = await api('GET', `/config/sets/${levelApi}`);
      if (
        res.body?.properties?.greeting !== next ||
        res.body?.version !== version
      ) {
        throw new Error(`the API shows ${JSON.stringify(res.body)}`);
      }
      edited = next;
    });

    await check('config-effective-view', page, async attempt => {
      if (attempt > 1)
        await gotoWithRetry(
          page,
          `${BASE}/archon/config?path=${encodeURIComponent(level)}`,
        );
      await page.getByRole('tab', { name: 'Effective' }).click();
      const row = page
        .locator('tr', { has: page.getByText('greeting', { exact: true }) })
        .first();
      await row.waitFor();
      const text = await row.innerText();
      if (!text.includes(edited) || !text.includes(level)) {
        throw new Error(`the effective row is "${text.replace(/\s+/g, ' ')}"`);
      }
    });

    await check('config-history', page, async attempt => {
      if (attempt > 1)
        await gotoWithRetry(
          page,
          `${BASE}/archon/config?path=${encodeURIComponent(level)}`,
        );
      await page.getByRole('tab', { name: 'History' }).click();
      await page.getByText('changed: greeting').first().waitFor();
      await page.getByText('changed: color, greeting').first().waitFor();
    });

    await check('config-impact-preview', page, async () => {
      // A level below inherits the edited key: the preview lists it.
      const res = await api('PUT', `/config/sets/${childApi}`, {
        properties: { own: 'child value' },
      });
      if (res.status !== 200)
        throw new Error(`PUT ${child} answered ${res.status}`);
      await gotoWithRetry(
        page,
        `${BASE}/archon/config?path=${encodeURIComponent(level)}`,
      );
      const color = page.getByLabel('Value of color');
      await color.fill('green');
      await page.getByRole('button', { name: 'Preview changes' }).click();
      const report = page.getByTestId('impact-report');
      await report.getByText(/affects 2 of 2 paths/).waitFor();
      await report.getByText(child, { exact: true }).waitFor();
      await screenshot(page, 'config-impact-report');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText(/Saved .* changed: color\./).waitFor();
      const effective = await api('GET', `/config/effective/${childApi}`);
      if (effective.body?.properties?.color !== 'green') {
        throw new Error(
          `the child's effective color is ${effective.body?.properties?.color}`,
        );
      }
    });

    await check('config-conflict-merge', page, async () => {
      await gotoWithRetry(
        page,
        `${BASE}/archon/config?path=${encodeURIComponent(level)}`,
      );
      const greeting = page.getByLabel('Value of greeting');
      await greeting.waitFor();
      // Someone else changes the set after the page read it.
      const other = await api('PATCH', `/config/sets/${levelApi}`, {
        set: { color: 'changed elsewhere' },
      });
      if (other.status !== 200)
        throw new Error(`PATCH answered ${other.status}`);
      await greeting.fill('mine, merged');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      const merge = page.getByTestId('conflict-merge');
      await merge
        .getByText('Someone changed this set since you opened it.')
        .waitFor();
      await merge.getByText('changed elsewhere').waitFor();
      await screenshot(page, 'config-conflict-merge-view');
      await merge.getByRole('button', { name: 'Save merged set' }).click();
      await page.getByText(/Saved .* changed: greeting\./).waitFor();
      const set = await api('GET', `/config/sets/${levelApi}`);
      const { greeting: g, color: c } = set.body?.properties ?? {};
      if (g !== 'mine, merged' || c !== 'changed elsewhere') {
        throw new Error(
          `after the merge the set is ${JSON.stringify(set.body?.properties)}`,
        );
      }
    });

    await check('config-save-anyway', page, async () => {
      // Removing a key a level below references is refused until "Save anyway".
      const upper = `${level}/anyway-${Date.now().toString(36)}`;
      const upperApi = encodeURIComponent(upper.slice(1));
      const below = `${upper}/kid`;
      const belowApi = encodeURIComponent(below.slice(1));
      for (const [p, properties] of [
        [upperApi, { base: 'b' }],
        [belowApi, { uses: '${base}' }],
      ]) {
        const res = await api('PUT', `/config/sets/${p}`, { properties });
        if (res.status !== 200)
          throw new Error(`PUT ${p} answered ${res.status}`);
      }
      await gotoWithRetry(
        page,
        `${BASE}/archon/config?path=${encodeURIComponent(upper)}`,
      );
      await page.getByRole('button', { name: 'Remove base' }).click();
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      const refused = page.getByTestId('refused-write');
      await refused.getByText(below, { exact: true }).waitFor();
      await screenshot(page, 'config-save-anyway');
      const still = await api('GET', `/config/sets/${upperApi}`);
      if (still.body?.properties?.base !== 'b')
        throw new Error(`the refused save wrote ${JSON.stringify(still.body)}`);
      await refused.getByRole('button', { name: 'Save anyway' }).click();
      await page.getByText(/Saved .* changed: base\./).waitFor();
      const broken = await api('GET', `/config/effective/${belowApi}`);
      if (broken.status !== 422)
        throw new Error(
          `${below} answers ${broken.status} after the forced save`,
        );
    });

    await check('config-restore-version', page, async () => {
      await gotoWithRetry(
        page,
        `${BASE}/archon/config?path=${encodeURIComponent(level)}`,
      );
      await page.getByRole('tab', { name: 'History' }).click();
      // The level was created at version 0 with greeting=hello, color=blue.
      await page.getByText('→ version 0', { exact: true }).click();
      await page.getByRole('button', { name: 'Restore this version' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('table', { name: 'Restore version 0' }).waitFor();
      await screenshot(page, 'config-restore-diff');
      await dialog.getByRole('button', { name: 'Restore version 0' }).click();
      await page.getByText('(restored from v0)').first().waitFor();
      const set = await api('GET', `/config/sets/${levelApi}`);
      const { greeting: g, color: c } = set.body?.properties ?? {};
      if (g !== 'hello' || c !== 'blue')
        throw new Error(
          `after the restore the set is ${JSON.stringify(
            set.body?.properties,
          )}`,
        );
    });

    await check('kafka-page', page, async attempt => {
      if (attempt > 1) await gotoWithRetry(page, `${BASE}/`);
      await sidebar(page)
        .getByRole('link', { name: 'Kafka', exact: true })
        .click();
      await page.getByText(/^Topics \(\d+\)$/).waitFor();
      await page.locator('table tbody tr').first().waitFor();
      const linked = (
        await catalogEntities('kind=resource,spec.type=kafka-topic')
      )[0];
      if (linked) {
        // Topics with a catalog entity link to it.
        const topic = linked.metadata.annotations['archon.io/kafka-topic'];
        await page.getByLabel('Filter topics').fill(topic);
        await page.getByRole('link', { name: topic, exact: true }).waitFor();
      }
    });

    // Entity tabs: only where the catalog has such entities (archon's Kafka
    // and Marathon providers make them; they may not have run yet).
    const topics = await catalogEntities('kind=resource,spec.type=kafka-topic');
    const topicEntity =
      topics.find(e =>
        e.metadata.annotations?.['archon.io/kafka-topic']?.startsWith(
          'archon-connect-status',
        ),
      ) ?? topics[0];
    if (!topicEntity) {
      skip('topic-entity-tab', 'no kafka-topic entity in the catalog yet');
    } else {
      await check('topic-entity-tab', page, async () => {
        const topic = topicEntity.metadata.annotations['archon.io/kafka-topic'];
        await gotoWithRetry(
          page,
          `${BASE}/catalog/${
            topicEntity.metadata.namespace ?? 'default'
          }/resource/${topicEntity.metadata.name}/kafka`,
        );
        await page.getByText('Config overrides').waitFor();
        await page
          .getByRole('cell', { name: topic, exact: true })
          .or(page.getByText(topic, { exact: true }))
          .first()
          .waitFor();
        await page.getByRole('button', { name: 'Read messages' }).click();
        await page
          .getByText(/^\d+ messages?( \(stopped early.*\))?$/)
          .waitFor();
      });
    }
    // The sample pipeline's middle topic: the enricher writes it, the aggregator reads it.
    const enriched = await catalogEntityEventually(
      'kind=resource,spec.type=kafka-topic',
      e =>
        e.metadata.annotations?.['archon.io/kafka-topic'] === 'sample.enriched',
    );
    if (!enriched) {
      skip('topic-producers-consumers', 'no entity for sample.enriched yet');
    } else {
      await check('topic-producers-consumers', page, async () => {
        await gotoWithRetry(
          page,
          `${BASE}/catalog/${
            enriched.metadata.namespace ?? 'default'
          }/resource/${enriched.metadata.name}/kafka`,
        );
        const producers = page.getByRole('table', {
          name: 'Producers of sample.enriched',
        });
        const consumers = page.getByRole('table', {
          name: 'Consumers of sample.enriched',
        });
        // Each linked to its catalog entity.
        await producers
          .getByRole('link', { name: '/sample/pipeline/enricher' })
          .waitFor();
        await consumers
          .getByRole('link', { name: '/sample/pipeline/aggregator' })
          .waitFor();
        await page
          .getByText('Producers and consumers')
          .scrollIntoViewIfNeeded();
      });
    }
    const configured = await catalogEntities(
      'kind=component,metadata.annotations.archon.io/config-path',
    );
    if (!configured[0]) {
      skip(
        'config-entity-tab',
        'no component with archon.io/config-path in the catalog yet',
      );
    } else {
      await check('config-entity-tab', page, async () => {
        const e = configured[0];
        const path = e.metadata.annotations['archon.io/config-path'];
        await gotoWithRetry(
          page,
          `${BASE}/catalog/${e.metadata.namespace ?? 'default'}/component/${
            e.metadata.name
          }/config`,
        );
        await page
          .getByText(
            new RegExp(
              `Effective configuration of ${path}|The configuration of ${path} does not resolve|There is no configuration level`,
            ),
          )
          .first()
          .waitFor();
        await page
          .getByRole('tablist', { name: 'Levels of the configuration path' })
          .waitFor();
      });
    }

    await deployChecks(page);
    await zookeeperChecks(page);
    await marathonChecks(page);
    await pipelinesChecks(page);
    await connectorTabChecks(page);
    await scaffolderChecks(page);

    await check('connect-page', page, async attempt => {
      if (attempt > 1) await gotoWithRetry(page, `${BASE}/`);
      await sidebar(page)
        .getByRole('link', { name: 'Kafka Connect', exact: true })
        .click();
      await page.getByText(/^Connectors \(\d+\)$/).waitFor();
      // Bulk restart of failed tasks: offered (enabled only when some task failed).
      await page
        .getByRole('button', {
          name: /^Restart all failed tasks \(\d+ connectors?\)…$/,
        })
        .waitFor();
    });

    // Its own cluster and portal: the shared portal's Kafka is never frozen (#22).
    await frozenKafkaChecks(browser, {
      check,
      log,
      root: ROOT,
      token,
      artifacts: ARTIFACTS,
      gotoWithRetry,
    });

    // Last: it takes the page to the CLI's sign-in callback.
    await cliLoginChecks(page, { check, api, base: BASE, root: ROOT });
  } finally {
    // The child first: a level with children keeps existing without a set.
    for (const [path, apiPathOf] of [
      [child, childApi],
      [level, levelApi],
    ]) {
      const cleanup = await api('DELETE', `/config/sets/${apiPathOf}`).catch(
        e => ({
          status: e.message,
        }),
      );
      if (cleanup.status !== 200 && cleanup.status !== 404) {
        log(`could not delete ${path}: ${cleanup.status}`);
      }
    }
    // What is left below (the save-anyway levels) goes with the level.
    await api(
      'DELETE',
      `/config/sets/${levelApi}?prune=true&recursive=true`,
    ).catch(() => {});
    if (consoleErrors.length) {
      writeFileSync(
        join(ARTIFACTS, 'console-errors.txt'),
        `${consoleErrors.join('\n')}\n`,
      );
      log(
        `${consoleErrors.length} browser console error(s) in test-artifacts/e2e/console-errors.txt`,
      );
    }
    await browser.close();
  }
}

let fatal;
try {
  await main();
} catch (error) {
  fatal = error;
  log(`aborted: ${error?.stack ?? error}`);
}
const passed = results.filter(r => r.ok).length;
const failed = results.length - passed + (fatal ? 1 : 0);
console.log(`e2e: ${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
