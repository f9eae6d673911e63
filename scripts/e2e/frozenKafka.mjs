// The Kafka page while Kafka is frozen (#22), in the browser. The shared
// portal's Kafka must never be frozen, so this starts its own: a private
// ZooKeeper and Kafka (the local-cluster fault harness, free ports, a run
// folder of its own) and a second backend on a free port serving the same
// built frontend (app-backend injects app.baseUrl/backend.baseUrl into the
// page at runtime, so one build serves any port). Kafka is frozen with
// SIGSTOP of its process group; the page must show the stale banner with the
// last topics and no spinner once the deadline has passed; after the thaw the
// banner goes. Everything started here is stopped by process group, also on
// failure.
import { spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** archon.kafka.requestTimeoutSeconds of the private portal: what "the deadline" is below. */
const KAFKA_DEADLINE_S = 5;
/** How long after the deadline the page may take to settle. */
const SETTLE_MS = 10_000;
const TOPIC = 'e2e-frozen-orders';
const STALE_BANNER =
  /Kafka cluster "local" is not reachable: showing what archon last saw/;

const sleep = ms => new Promise(r => setTimeout(r, ms));

/**
 * The second portal runs what the shared one runs (scripts/start.sh), with
 * the same helpers: the production build when scripts/lib/portal.sh has made
 * one of the current sources, else the development backend (from the
 * sources, serving packages/app/dist).
 */
const PORTAL_COMMAND = `
  source scripts/lib/toolchain.sh && archon_ensure_node >/dev/null
  [ -f scripts/lib/portal.sh ] && source scripts/lib/portal.sh
  stamp="$ARCHON_PORTAL_BUILD/.archon-build-stamp"
  if declare -F archon_portal_exec >/dev/null && [ -f "$stamp" ] &&
    [ "$(cat "$stamp")" = "$(archon_portal_fingerprint)" ]; then
    echo "second portal: the production build in $ARCHON_PORTAL_BUILD"
    archon_portal_exec "$@"
  fi
  # What \`backstage-cli package start\` runs, without its watcher: a source
  # edited meanwhile must not restart it (its in-memory state is the test's).
  echo "second portal: the development backend, not watching"
  cd packages/backend && NODE_ENV=development exec node --enable-source-maps \\
    --require @backstage/cli-node/config/nodeTransform.cjs src/index "$@"
`;

/** The local-cluster package's harness (TypeScript), loaded through Backstage's node transform. */
function localCluster(root) {
  const require = createRequire(join(root, 'scripts', 'e2e.mjs'));
  require('@backstage/cli/config/nodeTransform.cjs');
  return require(join(root, 'packages', 'local-cluster', 'src', 'index.ts'));
}

/** Waits until `fn` returns something truthy, polling; throws `what` (and the last error) after `timeoutMs`. */
async function waitFor(what, fn, timeoutMs, everyMs = 500) {
  const until = Date.now() + timeoutMs;
  let lastError;
  for (;;) {
    const value = await fn().catch(error => {
      lastError = error;
      return undefined;
    });
    if (value) return value;
    if (Date.now() > until) {
      const last = lastError?.message?.split('\n')[0];
      throw new Error(
        `${what}: not within ${timeoutMs / 1000} s${
          last ? ` (last: ${last})` : ''
        }`,
      );
    }
    await sleep(everyMs);
  }
}

const groupAlive = pgid => {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Stops a process group: SIGTERM, then SIGKILL after 15 s. */
async function stopGroup(pgid) {
  if (!pgid || !groupAlive(pgid)) return;
  process.kill(-pgid, 'SIGTERM');
  const until = Date.now() + 15_000;
  while (groupAlive(pgid) && Date.now() < until) await sleep(200);
  if (groupAlive(pgid)) process.kill(-pgid, 'SIGKILL');
}

/**
 * A second backend (dev start, as scripts/start.sh runs the shared one) on
 * `port`, pointed at the private ZooKeeper and Kafka; Connect and Marathon
 * point at the private cluster's unused ports, so nothing of the shared
 * cluster is touched. Resolves with its process group once it is ready.
 */
async function startBackend({ root, port, cluster, token, log, logFile }) {
  const dir = mkdtempSync(join(tmpdir(), 'archon-e2e-portal-'));
  const configFile = join(dir, 'app-config.private.yaml');
  const url = `http://localhost:${port}`;
  writeFileSync(
    configFile,
    [
      `app:\n  baseUrl: ${url}`,
      `backend:\n  baseUrl: ${url}\n  listen:\n    port: ${port}\n  cors:\n    origin: ${url}`,
      `archon:\n  kafka:\n    requestTimeoutSeconds: ${KAFKA_DEADLINE_S}`,
      '',
    ].join('\n'),
  );
  const ports = cluster.options.ports;
  const out = createWriteStream(logFile);
  const child = spawn(
    'bash',
    [
      '-c',
      PORTAL_COMMAND,
      'second-portal',
      ...[
        join(root, 'app-config.yaml'),
        join(root, 'app-config.embedded.yaml'),
        configFile,
      ].flatMap(file => ['--config', file]),
    ],
    {
      cwd: root,
      // Its own process group, stopped as a whole.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        ARCHON_API_TOKEN: token,
        ARCHON_BACKEND_PORT: String(port),
        ARCHON_ZK_PORT: String(ports.zookeeper),
        ARCHON_KAFKA_PORT: String(ports.kafka),
        ARCHON_CONNECT_PORT: String(ports.connect),
        ARCHON_MARATHON_PORT: String(ports.marathon),
      },
    },
  );
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const pgid = child.pid;
  const backend = {
    pgid,
    url,
    async stop() {
      await stopGroup(pgid);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  log(
    `second portal starting on ${url} (process group ${pgid}, log ${logFile})`,
  );
  try {
    await waitFor(
      'the second portal did not become ready',
      async () => {
        if (!groupAlive(pgid)) throw new Error('stopped');
        const res = await fetch(`${url}/.backstage/health/v1/readiness`, {
          signal: AbortSignal.timeout(5000),
        });
        return res.ok;
      },
      300_000,
      2000,
    );
  } catch (error) {
    await backend.stop();
    throw new Error(
      `${error.message}${
        groupAlive(pgid) ? '' : ' (it exited)'
      }; see ${logFile}`,
    );
  }
  return backend;
}

/** The archon API of the second portal with the static token. */
async function privateApi(url, token, method, path, body) {
  const res = await fetch(`${url}/api/archon${path}`, {
    method,
    headers: {
      Authorization: `Bearer ${token}`,
      'Content-Type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  return { status: res.status, body: await res.json().catch(() => undefined) };
}

/** `check`, `log`, `token`, `artifacts`, `gotoWithRetry`: e2e.mjs's helpers; `browser` gets a context of its own. */
export async function frozenKafkaChecks(
  browser,
  { check, log, root, token, artifacts, gotoWithRetry },
) {
  const { startPrivateCluster, findFreePort } = localCluster(root);
  let cluster;
  let backend;
  // A context of its own: cookies are per host, not per port.
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
  });
  try {
    const page = await context.newPage();
    page.setDefaultTimeout(30_000);

    await check('frozen-kafka-private-portal', page, async () => {
      cluster ??= await startPrivateCluster(['zookeeper', 'kafka'], {
        label: 'e2e-frozen-kafka',
      });
      log(
        `private ZooKeeper and Kafka on ${cluster.info.zookeeper.connectionString} and ${cluster.info.kafka.brokers[0]}`,
      );
      backend ??= await startBackend({
        root,
        port: await findFreePort(),
        cluster,
        token: token(),
        log,
        logFile: join(artifacts, 'frozen-kafka-backend.log'),
      });
      const created = await waitFor(
        `creating topic ${TOPIC} on the private Kafka`,
        async () => {
          const res = await privateApi(
            backend.url,
            token(),
            'POST',
            '/kafka/local/topics',
            {
              name: TOPIC,
              partitions: 1,
              replicationFactor: 1,
            },
          );
          return res.status === 201 || res.status === 409 ? res : undefined;
        },
        60_000,
        2000,
      );
      log(`topic ${TOPIC} on the private Kafka: ${created.status}`);
      // The guest signs in as the catalog's user:default/guest: wait for the catalog to have read it.
      await waitFor(
        "the second portal's catalog has no user:default/guest",
        async () =>
          (
            await fetch(
              `${backend.url}/api/catalog/entities/by-name/user/default/guest`,
              {
                headers: { Authorization: `Bearer ${token()}` },
                signal: AbortSignal.timeout(10_000),
              },
            )
          ).ok,
        120_000,
        1000,
      );
      await gotoWithRetry(page, `${backend.url}/`);
      const enter = page.getByRole('button', { name: /enter/i });
      const home = page
        .getByRole('navigation', { name: 'sidebar nav' })
        .getByRole('link', { name: 'Catalog', exact: true });
      await enter.or(home).first().waitFor();
      if (await enter.isVisible()) await enter.click();
      await home.waitFor();
    });
    if (!backend) return;

    const kafkaPage = tab =>
      `${backend.url}/archon/kafka?cluster=local&tab=${tab}`;
    const banner = page.getByText(STALE_BANNER);
    const topicRow = page.getByRole('cell', { name: TOPIC });
    const groupsTitle = page.getByText(/^Consumer groups \(\d+\)$/);
    const spinners = page.locator('[role="progressbar"]');
    /** The deadline and a few seconds: what the page may take to settle. */
    const settle = KAFKA_DEADLINE_S * 1000 + SETTLE_MS;
    const noSpinner = (until, what) =>
      waitFor(
        `${what}: a progress spinner is still shown`,
        async () => (await spinners.count()) === 0,
        Math.max(1000, until - Date.now()),
        250,
      );

    await check('frozen-kafka-page-shows-stale-banner', page, async () => {
      // Read both lists once while Kafka answers: what archon serves later, marked stale.
      await page.goto(kafkaPage('groups'));
      await groupsTitle.waitFor();
      await page.goto(kafkaPage('topics'));
      await topicRow.waitFor();
      if (await banner.isVisible())
        throw new Error('the stale banner shows while Kafka answers');
      await cluster.freeze('kafka');
      try {
        for (const [tab, shown] of [
          ['topics', topicRow],
          ['groups', groupsTitle],
        ]) {
          const loadedAt = Date.now();
          await page.goto(kafkaPage(tab));
          await banner.waitFor({ timeout: settle });
          // The last answer is still shown, and nothing keeps loading.
          await shown.waitFor({ timeout: 5_000 });
          await noSpinner(loadedAt + settle, tab);
          log(
            `${tab}: stale banner and no spinner ${
              Date.now() - loadedAt
            } ms after loading the page of the frozen Kafka`,
          );
        }
      } finally {
        await cluster.thaw('kafka');
      }
    });

    await check('frozen-kafka-banner-gone-after-thaw', page, async () => {
      // Kafka's clients reconnect by themselves; reload until the list is current again.
      await waitFor(
        'the stale banner still shows after the thaw',
        async () => {
          const loadedAt = Date.now();
          await page.goto(kafkaPage('topics'));
          await topicRow.waitFor({ timeout: settle });
          await noSpinner(loadedAt + settle, 'topics after the thaw');
          return !(await banner.isVisible());
        },
        90_000,
        1000,
      );
    });
  } finally {
    await context.close().catch(() => {});
    await backend
      ?.stop()
      .catch(e => log(`stopping the second portal: ${e.message}`));
    await cluster
      ?.dispose()
      .catch(e => log(`stopping the private cluster: ${e.message}`));
  }
}
