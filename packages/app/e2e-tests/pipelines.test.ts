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
