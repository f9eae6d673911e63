// The Pipelines page draws every stage of the seeded sample pipeline.
import { BASE, expect, gotoWithRetry, shot, sidebar, test } from './fixtures';
import { expectTablesFit } from './tablesFit';

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
  type Box = { x: number; y: number; width: number; height: number };
  const view = (await diagram.boundingBox())!;
  const window = page.viewportSize()!;
  const inside = (b: Box) =>
    b.x >= view.x &&
    b.x + b.width <= view.x + view.width &&
    b.y >= view.y &&
    b.y + b.height <= view.y + view.height &&
    b.x >= 0 &&
    b.x + b.width <= window.width &&
    b.y >= 0 &&
    b.y + b.height <= window.height;
  // Every node of the default view (the stages and any branch) is whole in
  // the diagram and in the window: none is a pan or a scroll away.
  const nodes = diagram.locator('g[data-node-id]');
  await expect
    .poll(async () => {
      const cut: string[] = [];
      for (const node of await nodes.all())
        if (!inside((await node.boundingBox())!))
          cut.push((await node.getAttribute('data-node-id'))!);
      return cut;
    })
    .toEqual([]);
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
    [...document.querySelectorAll('g[data-node-id] text')].map(t => {
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
