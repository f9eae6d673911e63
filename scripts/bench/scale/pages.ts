/*
 * The portal's pages at scale, in headless Debian Chromium (the one
 * scripts/e2e.mjs drives, with its flags) through the private portal: time
 * from navigation to the first content that matters on each page, the JSON
 * bytes the page fetched until then (CDP Network events: encoded bytes of
 * every application/json answer), and on the Pipelines view at ~500 nodes
 * the frame times while panning (requestAnimationFrame timestamps sampled in
 * the page during scripted mouse drags).
 */
import type { Browser, CDPSession, Locator, Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
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
const CONTENT_TIMEOUT = 120_000;
const SETTLE_TIMEOUT = 60_000;

export interface PageFigure {
  page: string;
  /** Navigation to the first content. */
  ms: number;
  /** JSON received by then. */
  bytes: number;
  /** Navigation to no fetch in flight (NaN: it did not settle within a minute). */
  settledMs: number;
  /** JSON received by then: the first screen's data. */
  settledBytes: number;
  note?: string;
}

export interface PanFigure {
  nodes: string;
  firstPaintMs: number;
  jsonBytes: number;
  fps: number;
  p95FrameMs: number;
}

/** Encoded bytes of JSON answers since the last reset, and the page's requests in flight. */
class JsonBytes {
  #mime = new Map<string, boolean>();
  #pending = new Set<string>();
  bytes = 0;

  constructor(cdp: CDPSession) {
    cdp.on('Network.requestWillBeSent', e => {
      if (e.type === 'XHR' || e.type === 'Fetch')
        this.#pending.add(e.requestId);
    });
    cdp.on('Network.responseReceived', e => {
      this.#mime.set(e.requestId, /json/.test(e.response.mimeType));
      // A stream of events stays open by design: not data still coming.
      if (/event-stream/.test(e.response.mimeType))
        this.#pending.delete(e.requestId);
    });
    cdp.on('Network.loadingFinished', e => {
      this.#pending.delete(e.requestId);
      if (this.#mime.get(e.requestId)) this.bytes += e.encodedDataLength;
    });
    cdp.on('Network.loadingFailed', e => this.#pending.delete(e.requestId));
  }

  reset() {
    this.bytes = 0;
  }

  /**
   * Waits until no fetch of the page has been in flight for half a second:
   * what the first screen asked for has all arrived. False after `timeoutMs`
   * (a page that keeps polling faster never settles).
   */
  async settled(timeoutMs: number): Promise<boolean> {
    const deadline = Date.now() + timeoutMs;
    let quietSince = Date.now();
    while (Date.now() < deadline) {
      if (this.#pending.size) quietSince = Date.now();
      else if (Date.now() - quietSince >= 500) return true;
      await new Promise(r => setTimeout(r, 50));
    }
    return false;
  }
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    // The benchmark's own handlers stop everything on a signal; Playwright's
    // would exit the process before the private cluster is stopped.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}

/**
 * From navigation to `content`: a full page load for the landing page (the
 * app boots), in-app navigation for the others (history.pushState and a
 * popstate, as a sidebar link does), so each figure is the page's own data
 * and rendering rather than the bundle's start-up again.
 */
async function timeTo(
  page: Page,
  json: JsonBytes,
  path: string,
  content: Locator,
  full: boolean,
): Promise<Omit<PageFigure, 'page'>> {
  json.reset();
  const started = performance.now();
  if (full) await page.goto(path);
  else
    await page.evaluate(to => {
      window.history.pushState({}, '', to);
      window.dispatchEvent(new PopStateEvent('popstate'));
    }, path);
  await content.first().waitFor({ timeout: CONTENT_TIMEOUT });
  const ms = performance.now() - started;
  const bytes = json.bytes;
  // The rest of the first screen's data (links, counts) may come later.
  const settled = await json.settled(SETTLE_TIMEOUT);
  return {
    ms,
    bytes,
    // The quiet half second is not the page's time.
    settledMs: settled ? performance.now() - started - 500 : NaN,
    settledBytes: json.bytes,
  };
}

/** Signs in as guest (the embedded profile's sign-in page) and waits for the sidebar. */
async function signIn(page: Page, base: string) {
  await page.goto(`${base}/`);
  const enter = page.getByRole('button', { name: /enter/i });
  const catalog = page
    .getByRole('navigation', { name: 'sidebar nav' })
    .getByRole('link', { name: 'Catalog', exact: true });
  await enter.or(catalog).first().waitFor({ timeout: CONTENT_TIMEOUT });
  if (await enter.isVisible()) await enter.click();
  await catalog.waitFor({ timeout: CONTENT_TIMEOUT });
}

export async function measurePages(
  browser: Browser,
  base: string,
  firstTopic: string,
  firstApp: string,
  failureShot: string,
): Promise<{ pages: PageFigure[]; pan?: PanFigure; panError?: string }> {
  const context = await browser.newContext({
    viewport: { width: 1440, height: 900 },
  });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  const json = new JsonBytes(cdp);
  await signIn(page, base);
  const pages: PageFigure[] = [];
  const visit = async (name: string, path: string, content: Locator) => {
    try {
      const full = path === '/';
      const figure = await timeTo(
        page,
        json,
        full ? `${base}/` : path,
        content,
        full,
      );
      pages.push({ page: name, ...figure });
    } catch (error) {
      pages.push({
        page: name,
        ms: NaN,
        bytes: json.bytes,
        settledMs: NaN,
        settledBytes: json.bytes,
        note: (error as Error).message.split('\n')[0],
      });
    }
  };
  try {
    // Home is archon's cockpit (#18): its first content is the first count
    // of "Needs attention" with a figure or "unknown" (never a spinner).
    await visit(
      'Home (cockpit, /; full load)',
      '/',
      page
        .getByTestId('home-attention')
        .getByRole('listitem')
        .filter({ hasText: /^(\d+|unknown)/ }),
    );
    await visit(
      'Catalog (/catalog)',
      '/catalog',
      page.locator('table tbody tr:visible'),
    );
    await visit(
      'archon overview (/archon)',
      '/archon',
      page.getByText(/^Systems \((all up|degraded)\)$/),
    );
    await visit(
      'Kafka topic list',
      '/archon/kafka?cluster=local&tab=topics',
      page.getByRole('cell', { name: firstTopic, exact: true }),
    );
    await visit(
      'Configuration tree',
      '/archon/config',
      page.getByRole('treeitem').filter({ hasText: 'scale' }),
    );
    // Folders start closed since #17: open the first app's folder, as a
    // link to it does (?group=), so its row is the page's first content.
    await visit(
      'Marathon page (its folder open)',
      `/archon/marathon?group=${encodeURIComponent(
        firstApp.slice(0, firstApp.lastIndexOf('/')),
      )}`,
      page.getByText(firstApp, { exact: true }),
    );
    await visit(
      'Pipelines (default filters)',
      '/archon/pipelines',
      page
        .getByText(/^\d+ nodes, \d+ edges/)
        .or(page.getByText(/more than the \d+ one response holds/)),
    );
    let pan: PanFigure | undefined;
    let panError: string | undefined;
    try {
      pan = await pipelinesPan(page, json);
    } catch (error) {
      panError = (error as Error).message.split('\n')[0];
      await page.screenshot({ path: failureShot }).catch(() => {});
      panError += ` (screenshot ${failureShot})`;
    }
    return { pages, pan, panError };
  } finally {
    await context.close();
  }
}

/**
 * The Pipelines view narrowed to the scenario's pipelines (search "flow",
 * collapse Never, all pipelines shown: ~500 nodes): time from "Show all
 * pipelines" to the drawn diagram, then frame times during ten scripted
 * drags across it.
 */
async function pipelinesPan(page: Page, json: JsonBytes): Promise<PanFigure> {
  await page.getByLabel('Collapse').click();
  await page.getByRole('option', { name: 'Never' }).click();
  const counts = page.getByText(/^\d+ nodes, \d+ edges/);
  // The page opens on the largest pipeline (#18); the figure is for all of
  // the scenario's pipelines at once: search them, then "Show all pipelines".
  const showAll = page.getByRole('button', { name: 'Show all pipelines' });
  await page.getByLabel('Search nodes').fill('flow');
  await showAll.or(counts).first().waitFor({ timeout: CONTENT_TIMEOUT });
  const before = (await counts.count())
    ? await counts.first().textContent()
    : null;
  json.reset();
  const started = performance.now();
  if (await showAll.isVisible()) await showAll.click();
  // Drawn: a new count (the narrowed view's) and the diagram of that many
  // nodes (its layout runs in a worker, after the count shows).
  await page.waitForFunction(
    previous => {
      const shown = [...document.querySelectorAll('p,span')]
        .map(e => e.textContent ?? '')
        .find(t => /^\d+ nodes, \d+ edges/.test(t));
      const nodes = shown?.match(/^(\d+) nodes/)?.[1];
      const drawn = document
        .querySelector('[aria-label^="Data-flow diagram with"]')
        ?.getAttribute('aria-label');
      return (
        shown !== undefined &&
        shown !== previous &&
        drawn?.startsWith(`Data-flow diagram with ${nodes} nodes`)
      );
    },
    before,
    { timeout: CONTENT_TIMEOUT },
  );
  // The frame after the diagram's nodes are in the DOM: painted.
  await page.evaluate(
    () => new Promise(resolve => requestAnimationFrame(() => resolve(null))),
  );
  const firstPaintMs = performance.now() - started;
  const jsonBytes = json.bytes;
  const nodes = (await counts.first().textContent()) ?? '';

  const svg = page.getByRole('group', { name: /^Data-flow diagram with/ });
  const box = (await svg.boundingBox())!;
  await page.evaluate(() => {
    const w = window as any;
    w.__frames = [];
    const tick = (t: number) => {
      w.__frames.push(t);
      if (w.__sampling) requestAnimationFrame(tick);
    };
    w.__sampling = true;
    requestAnimationFrame(tick);
  });
  const cx = box.x + box.width / 2;
  const cy = box.y + box.height / 2;
  for (let drag = 0; drag < 10; drag++) {
    const dx = drag % 2 ? -300 : 300;
    await page.mouse.move(cx, cy);
    await page.mouse.down();
    await page.mouse.move(cx + dx, cy + dx / 3, { steps: 30 });
    await page.mouse.up();
  }
  const frames: number[] = await page.evaluate(() => {
    const w = window as any;
    w.__sampling = false;
    return w.__frames;
  });
  const deltas = frames.slice(1).map((t, i) => t - frames[i]);
  const sorted = [...deltas].sort((a, b) => a - b);
  const seconds = (frames[frames.length - 1] - frames[0]) / 1000;
  return {
    nodes,
    firstPaintMs,
    jsonBytes,
    fps: deltas.length / seconds,
    p95FrameMs: sorted[Math.floor(sorted.length * 0.95)] ?? NaN,
  };
}
