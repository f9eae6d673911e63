// The Configuration tab of a component with an archon.io/config-path.
import {
  catalogEntityEventually,
  entityUrl,
  expect,
  gotoWithRetry,
  test,
} from './fixtures';

test('config-entity-tab', async ({ page }) => {
  const entity = await catalogEntityEventually(
    'kind=component,metadata.annotations.archon.io/config-path',
  );
  const path = entity.metadata.annotations!['archon.io/config-path'];
  await gotoWithRetry(page, entityUrl(entity, 'config'));
  await expect(
    page
      .getByText(
        new RegExp(
          `Effective configuration of ${path}|The configuration of ${path} does not resolve|There is no configuration level`,
        ),
      )
      .first(),
  ).toBeVisible();
  await expect(
    page.getByRole('tablist', { name: 'Levels of the configuration path' }),
  ).toBeVisible();
});
