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

export interface PageFigure {
  page: string;
  firstContentMs: number;
  jsonBytes: number;
  note?: string;
}

export interface PanFigure {
  nodes: string;
  firstPaintMs: number;
  jsonBytes: number;
  fps: number;
  p95FrameMs: number;
}

/** Encoded bytes of JSON answers since the last reset. */
class JsonBytes {
  #mime = new Map<string, boolean>();
  bytes = 0;

  constructor(cdp: CDPSession) {
    cdp.on('Network.responseReceived', e => {
      this.#mime.set(e.requestId, /json/.test(e.response.mimeType));
    });
    cdp.on('Network.loadingFinished', e => {
      if (this.#mime.get(e.requestId)) this.bytes += e.encodedDataLength;
    });
  }

  reset() {
    this.bytes = 0;
  }
}

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
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
): Promise<{ ms: number; bytes: number }> {
  json.reset();
  const started = performance.now();
  if (full) await page.goto(path);
  else
    await page.evaluate(to => {
      window.history.pushState({}, '', to);
      window.dispatchEvent(new PopStateEvent('popstate'));
    }, path);
  await content.first().waitFor({ timeout: CONTENT_TIMEOUT });
  return { ms: performance.now() - started, bytes: json.bytes };
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
      const { ms, bytes } = await timeTo(
        page,
        json,
        full ? `${base}/` : path,
        content,
        full,
      );
      pages.push({ page: name, firstContentMs: ms, jsonBytes: bytes });
    } catch (error) {
      pages.push({
        page: name,
        firstContentMs: NaN,
        jsonBytes: json.bytes,
        note: (error as Error).message.split('\n')[0],
      });
    }
  };
  try {
    await visit(
      'Home (catalog, /; full load)',
      '/',
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
    await visit(
      'Marathon page',
      '/archon/marathon',
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
    }
    return { pages, pan, panError };
  } finally {
    await context.close();
  }
}

/**
 * The Pipelines view narrowed to the scenario's pipelines (search "flow",
 * collapse Never: ~500 nodes): time from the last filter change to the
 * drawn diagram, then frame times during ten scripted drags across it.
 */
async function pipelinesPan(page: Page, json: JsonBytes): Promise<PanFigure> {
  await page.getByLabel('Collapse').click();
  await page.getByRole('option', { name: 'Never' }).click();
  const counts = page.getByText(/^\d+ nodes, \d+ edges/);
  const before = (await counts.count())
    ? await counts.first().textContent()
    : null;
  json.reset();
  const started = performance.now();
  await page.getByLabel('Search nodes').fill('flow');
  // Drawn: a new count (the narrowed view's), nothing loading.
  await page.waitForFunction(
    previous => {
      const shown = [...document.querySelectorAll('p,span')]
        .map(e => e.textContent ?? '')
        .find(t => /^\d+ nodes, \d+ edges/.test(t));
      return (
        shown !== undefined &&
        shown !== previous &&
        !document.querySelector('[role="progressbar"]')
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

  const svg = page
    .locator('svg')
    .filter({ has: page.locator('g') })
    .last();
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
