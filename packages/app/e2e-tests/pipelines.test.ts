// The Pipelines page draws every stage of the seeded sample pipeline.
import { BASE, expect, gotoWithRetry, sidebar, test } from './fixtures';
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
// sample's stages left to right, every label drawn at 11 px or more on screen
// (its font size times the zoom), nothing but the pipeline on it. Its nine
// stages (appender to web app) are wider than the view at that size: the view
// starts at the first stage, and Fit to view shows every stage whole.
test('pipelines-default-view-readable', async ({ page }) => {
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
  // Left to right in data-flow order; the first stage whole at the left edge.
  const view = (await diagram.boundingBox())!;
  const boxes = async () => {
    const found: Array<{ x: number; width: number }> = [];
    for (const stage of stages)
      found.push(
        (await diagram
          .getByRole('button', { name: new RegExp(`^${stage}, `) })
          .boundingBox())!,
      );
    return found;
  };
  const whole = (box: { x: number; width: number }) =>
    box.x >= view.x && box.x + box.width <= view.x + view.width;
  const atDefault = await boxes();
  const xs = atDefault.map(b => b.x);
  expect(xs).toEqual([...xs].sort((a, b) => a - b));
  expect(whole(atDefault[0])).toBe(true);
  // Rendered text size: CSS font size times the diagram's zoom.
  const sizes = await page.evaluate(() =>
    [...document.querySelectorAll('g[data-node-id] text')].map(t => {
      const el = t as SVGTextElement;
      return parseFloat(getComputedStyle(el).fontSize) * el.getScreenCTM()!.a;
    }),
  );
  expect(sizes.length).toBeGreaterThan(0);
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
  // The rest is a pan away; Fit to view shows the whole chain.
  await page.getByRole('button', { name: 'Fit to view' }).click();
  await expect
    .poll(async () => (await boxes()).map(whole))
    .toEqual(stages.map(() => true));
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
