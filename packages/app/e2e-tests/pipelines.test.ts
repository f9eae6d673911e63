// The Pipelines page draws every stage of the seeded sample pipeline.
import {
  api,
  BASE,
  expect,
  gotoWithRetry,
  type Json,
  shot,
  sidebar,
  test,
} from './fixtures';
import type { Page } from '@playwright/test';
import { expectTablesFit } from './tablesFit';
import { withTimeLaggingGroup } from './timeLaggingGroup';

type Box = { x: number; y: number; width: number; height: number };

/**
 * The nodes of the diagram not whole inside it and inside the window: the
 * default view shows every node it holds, none a pan or a scroll away.
 */
async function nodesCut(page: Page): Promise<string[]> {
  const diagram = page.getByRole('group', { name: /Data-flow diagram/ });
  const view = (await diagram.boundingBox())!;
  const window = page.viewportSize()!;
  const inside = (b: Box) =>
    b.x >= Math.max(view.x, 0) &&
    b.x + b.width <= Math.min(view.x + view.width, window.width) &&
    b.y >= Math.max(view.y, 0) &&
    b.y + b.height <= Math.min(view.y + view.height, window.height);
  const cut: string[] = [];
  for (const node of await diagram.locator('g[data-node-id]').all())
    if (!inside((await node.boundingBox())!))
      cut.push((await node.getAttribute('data-node-id'))!);
  return cut;
}

test('pipelines-page', async ({ page }) => {
  await gotoWithRetry(page, `${BASE}/`);
  await sidebar(page)
    .getByRole('link', { name: 'Pipelines', exact: true })
    .click();
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
    await expect(
      diagram.getByRole('button', { name: new RegExp(`^${kind} ${name}, `) }),
    ).toBeVisible();
  }
  await diagram
    .getByRole('button', { name: /^app \/sample\/pipeline\/enricher, / })
    .click();
  const panel = page.getByRole('region', {
    name: 'Details of app:local/sample/pipeline/enricher',
  });
  await expect(panel.getByText(/^produces-to/).first()).toBeVisible();
  await expect(panel.getByRole('link').first()).toBeVisible();
});

// #18: the first view is one pipeline a person can read at 1440×900: the
// sample's stages in data-flow order, every label drawn at 11 px or more on
// screen (its font size times the zoom), every node of the pipeline whole
// inside the diagram and the window, nothing but the pipeline on it. Its nine
// stages (appender to web app) are too wide for one row at that size, so the
// chain is folded into rows, each read left to right.
test('pipelines-default-view-readable', async ({ page }, testInfo) => {
  await gotoWithRetry(page, `${BASE}/archon/pipelines`);
  const diagram = page.getByRole('group', { name: /Data-flow diagram/ });
  const stages = [
    'app /sample/pipeline/appender',
    'connector sample-file-source',
    'topic sample.raw',
    'app /sample/pipeline/enricher',
    'topic sample.enriched',
    'app /sample/pipeline/aggregator',
    'topic sample.aggregated',
    'connector sample-file-sink',
    'app /sample/web',
  ];
  for (const stage of stages) {
    await expect(
      diagram.getByRole('button', { name: new RegExp(`^${stage}, `) }),
    ).toBeVisible();
  }
  await expect(
    page.getByRole('status', { name: 'Diagram contents' }),
  ).toContainText('hidden');
  await expect.poll(() => nodesCut(page)).toEqual([]);
  const nodes = diagram.locator('g[data-node-id]');
  expect(await nodes.count()).toBeGreaterThanOrEqual(stages.length);
  // In reading order: each stage right of the one before on its row, or
  // on a row below it.
  const boxes: Box[] = [];
  for (const stage of stages)
    boxes.push(
      (await diagram
        .getByRole('button', { name: new RegExp(`^${stage}, `) })
        .boundingBox())!,
    );
  const outOfOrder = boxes.flatMap((b, i) => {
    if (i === 0) return [];
    const before = boxes[i - 1];
    const right = b.x > before.x && Math.abs(b.y - before.y) < b.height * 2;
    const below = b.y >= before.y + before.height;
    return right || below ? [] : [`${stages[i - 1]} → ${stages[i]}`];
  });
  expect(outOfOrder).toEqual([]);
  // Rendered text size: CSS font size times the diagram's zoom.
  const sizes = await page.evaluate(() =>
    [
      ...document.querySelectorAll(
        'g[data-node-id] text, text[data-edge-label]',
      ),
    ].map(t => {
      const el = t as SVGTextElement;
      return parseFloat(getComputedStyle(el).fontSize) * el.getScreenCTM()!.a;
    }),
  );
  expect(sizes.length).toBeGreaterThanOrEqual(stages.length);
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
  await shot(page, testInfo, 'pipelines-default-view-readable');
});

// #18: the chain starts at its first stage. The appender writes the file the
// source connector reads and the web app reads the file the sink writes
// (archon.writes.files / archon.reads.files): both are drawn as edges.
test('pipelines-appender-feeds-source', async ({ page }, testInfo) => {
  await gotoWithRetry(page, `${BASE}/archon/pipelines`);
  const diagram = page.getByRole('group', { name: /Data-flow diagram/ });
  for (const edge of [
    'app:local/sample/pipeline/appender|source-reads|connector:local/sample-file-source',
    'connector:local/sample-file-sink|sink-writes|app:local/sample/web',
  ]) {
    await expect(diagram.locator(`path[data-edge="${edge}"]`)).toHaveCount(1);
  }
  await diagram
    .getByRole('button', { name: /^app \/sample\/pipeline\/appender, / })
    .click();
  const panel = page.getByRole('region', {
    name: 'Details of app:local/sample/pipeline/appender',
  });
  await expect(panel.getByText(/^source-reads/).first()).toBeVisible();
  await expect(panel.getByText(/^writes file:\/.*\/input\.txt$/)).toBeVisible();
  // The long file path wraps in its cell and squeezes no key onto two lines.
  const wrappedKeys = await panel
    .getByRole('table', { name: 'Attributes and metrics' })
    .evaluate(table =>
      [...table.querySelectorAll('th')]
        .filter(th => {
          const range = document.createRange();
          range.selectNodeContents(th);
          const lines = [...range.getClientRects()].map(r => Math.round(r.top));
          return new Set(lines).size > 1;
        })
        .map(th => th.textContent),
    );
  expect(wrappedKeys).toEqual([]);
  await expectTablesFit(page, testInfo, 'pipelines-appender-feeds-source');
});

// #18: a consumer's time lag on the picture. A topic whose records are
// stamped 10 min in the past and a group committed at offset 0: once the
// portal's lag sample and graph hold it (polled), the Pipelines diagram
// writes "… m lag" on the topic → group edge, edge and label in the error
// colour (the groups' lagging rule), the label 11 px or more on screen. The
// sample's own consumer edges carry their (small) figure, not lagging.
test('pipelines-consumer-time-lag', async ({ page }, testInfo) => {
  await withTimeLaggingGroup('e2e-plag', async ({ topic, group }) => {
    const edgeId = `topic:local/${topic}|consumes-from|group:local/${group}`;
    // The portal samples lag once a minute and the graph reads it every 30 s.
    await expect
      .poll(
        async () => {
          const res = await api(
            'GET',
            `/graph/nodes/${encodeURIComponent(`group:local/${group}`)}`,
          );
          const e = (res.body.edges ?? []).find(
            (x: Json) => x.kind === 'consumes-from',
          );
          return e?.lagging ?? null;
        },
        { timeout: 180_000, intervals: [5000] },
      )
      .toBe(true);

    await gotoWithRetry(page, `${BASE}/archon/pipelines`);
    // The sample's consumers: a figure on the enricher's edge, not lagging.
    const sample = page.locator(
      'text[data-edge-label="topic:local/sample.raw|consumes-from|app:local/sample/pipeline/enricher"]',
    );
    await expect(sample).toHaveText(/^\d+ [smhd] lag/);
    await page.getByLabel('Search nodes').fill(topic);
    await page.getByRole('checkbox', { name: 'Consumer groups' }).check();
    const label = page.locator(`text[data-edge-label="${edgeId}"]`);
    await expect(label).toHaveText(/^1\d m lag/);
    await expect(page.locator(`path[data-edge="${edgeId}"]`)).toHaveAttribute(
      'data-lagging',
      'true',
    );
    const colours = await page.evaluate(id => {
      const path = document.querySelector(`path[data-edge="${id}"]`)!;
      const text = document.querySelector(
        `text[data-edge-label="${id}"]`,
      ) as SVGTextElement;
      return {
        path: getComputedStyle(path).stroke,
        text: getComputedStyle(text).fill,
        px:
          parseFloat(getComputedStyle(text).fontSize) * text.getScreenCTM()!.a,
      };
    }, edgeId);
    // The group is claimed by no app, so the edge also drifts: dashed in
    // the drift red, which the lagging red does not override.
    expect(colours.path).toBe('rgb(211, 47, 47)');
    expect(colours.text).toBe('rgb(198, 40, 40)');
    expect(colours.px).toBeGreaterThanOrEqual(11);
    await expect(page.getByLabel('Legend')).toContainText('consumer lagging');
    await shot(page, testInfo, 'pipelines-consumer-time-lag');
  });
});

// #20: both environments on one picture. The sample's aggregates are
// mirrored (MirrorMaker 2 on dr's Connect) to local.sample.aggregated on dr,
// read there by the archiver: the default view holds that branch, the
// mirrors edge drawn dotted in its own colour across the clusters with its
// legend entry, each node names its cluster, and nothing is cut. The
// Cluster filter narrows the picture to dr's nodes.
test('pipelines-mirrors-across-clusters', async ({ page }, testInfo) => {
  const replica = 'topic:dr/local.sample.aggregated';
  const archiver = 'app:dr/sample/dr/archiver';
  const edgeId = `topic:local/sample.aggregated|mirrors|${replica}`;
  await expect(async () => {
    await gotoWithRetry(page, `${BASE}/archon/pipelines`);
    await expect(page.locator(`path[data-edge="${edgeId}"]`)).toHaveCount(1, {
      timeout: 5_000,
    });
  }).toPass({ timeout: 120_000, intervals: [5000] });
  const mirror = page.locator(`path[data-edge="${edgeId}"]`);
  await expect(mirror).toHaveAttribute('data-kind', 'mirrors');
  await expect(mirror).toHaveAttribute('stroke-dasharray', '2 3');
  expect(await mirror.evaluate(p => getComputedStyle(p).stroke)).toBe(
    'rgb(106, 27, 154)',
  );
  await expect(page.getByLabel('Legend')).toContainText(
    "mirror: a topic's replica on another Kafka cluster",
  );
  const kindLine = (id: string) =>
    page.locator(`g[data-node-id="${id}"] text`).first();
  await expect(kindLine(replica)).toHaveText('topic · dr');
  await expect(kindLine('topic:local/sample.raw')).toHaveText('topic · local');
  await expect(page.locator(`g[data-node-id="${archiver}"]`)).toHaveCount(1);
  await expect.poll(() => nodesCut(page)).toEqual([]);
  await shot(page, testInfo, 'pipelines-mirrors-across-clusters');

  await page.locator('#pipelines-cluster').click();
  await page.getByRole('option', { name: 'dr', exact: true }).click();
  await expect
    .poll(async () => {
      const ids = await page
        .locator('g[data-node-id]')
        .evaluateAll(gs => gs.map(g => g.getAttribute('data-node-id')!));
      return ids.length > 0 && ids.every(id => /^[a-z-]+:dr\//.test(id));
    })
    .toBe(true);
  await expect(page.locator(`g[data-node-id="${archiver}"]`)).toHaveCount(1);
  await expectTablesFit(page, testInfo, 'pipelines-cluster-dr');
});
