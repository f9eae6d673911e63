// The Pipelines page draws every stage of the seeded sample pipeline.
import { BASE, expect, gotoWithRetry, sidebar, test } from './fixtures';

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
// (its font size times the zoom), nothing but the pipeline on it.
test('pipelines-default-view-readable', async ({ page }) => {
  await gotoWithRetry(page, `${BASE}/archon/pipelines`);
  const diagram = page.getByRole('group', { name: /Data-flow diagram/ });
  const stages = [
    'connector sample-file-source',
    'topic sample.raw',
    'app /sample/pipeline/enricher',
    'topic sample.enriched',
    'app /sample/pipeline/aggregator',
    'topic sample.aggregated',
    'connector sample-file-sink',
  ];
  for (const stage of stages) {
    await expect(
      diagram.getByRole('button', { name: new RegExp(`^${stage}, `) }),
    ).toBeVisible();
  }
  await expect(
    page.getByRole('status', { name: 'Diagram contents' }),
  ).toContainText('hidden');
  // Left to right in data-flow order, each stage whole inside the view.
  const view = (await diagram.boundingBox())!;
  const xs: number[] = [];
  for (const stage of stages) {
    const box = (await diagram
      .getByRole('button', { name: new RegExp(`^${stage}, `) })
      .boundingBox())!;
    expect(box.x).toBeGreaterThanOrEqual(view.x);
    expect(box.x + box.width).toBeLessThanOrEqual(view.x + view.width);
    xs.push(box.x);
  }
  expect(xs).toEqual([...xs].sort((a, b) => a - b));
  // Rendered text size: CSS font size times the diagram's zoom.
  const sizes = await page.evaluate(() =>
    [...document.querySelectorAll('g[data-node-id] text')].map(t => {
      const el = t as SVGTextElement;
      return parseFloat(getComputedStyle(el).fontSize) * el.getScreenCTM()!.a;
    }),
  );
  expect(sizes.length).toBeGreaterThan(0);
  expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
});
