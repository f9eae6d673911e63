// The "New streaming app" template from the browser: the form, the task run
// to the end (configuration in ZooKeeper, output topic in Kafka, app on the
// local Marathon), then the app in the catalog. The topics step is filled
// with archon's pickers: the cluster chosen from the list, an existing input
// topic found by searching, a new one typed (the template creates it). Each
// run uses a fresh configuration path and new topics under e2e prefixes and
// removes them afterwards, as the template's backend test does (destroy the
// app, delete the topics) plus the configuration level it wrote.
import {
  api,
  BASE,
  CatalogEntity,
  catalogEntities,
  expect,
  gotoWithRetry,
  log,
  shot,
  test,
} from './fixtures';

const stamp = Date.now().toString(36);
const configPath = `/e2e-scaffolder/app-${stamp}`;
const outputTopic = `e2e.scaffolder.${stamp}`;
const inputTopic = 'sample.enriched';
const newInputTopic = `e2e.scaffolder.in.${stamp}`;
let created = false;

test.afterAll(async () => {
  if (!created) return;
  const failed = (e: Error) => ({ status: e.message });
  const destroyed = await api('POST', '/apps/destroy', {
    configPath,
    instance: 'local',
    confirm: configPath,
    wait: true,
  }).catch(failed);
  const topic = await api(
    'DELETE',
    `/kafka/local/topics/${outputTopic}?confirm=${outputTopic}`,
  ).catch(failed);
  const input = await api(
    'DELETE',
    `/kafka/local/topics/${newInputTopic}?confirm=${newInputTopic}`,
  ).catch(failed);
  const level = await api(
    'DELETE',
    `/config/sets/${encodeURIComponent(configPath.slice(1))}`,
  ).catch(failed);
  log(
    `cleaned up the scaffolded app: destroy ${destroyed.status}, topics ${topic.status}/${input.status}, config ${level.status}`,
  );
});

test('scaffolder-new-streaming-app', async ({ page }, testInfo) => {
  test.setTimeout(900_000);
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
  await owner.fill('sample-team');
  await page
    .getByRole('option', { name: /sample-team/ })
    .first()
    .click();
  await shot(page, testInfo, 'scaffolder-form-app');
  await page.getByRole('button', { name: 'Next' }).click();
  // 2. Topics with archon's pickers: the cluster from archon's list, the
  // sample pipeline's topic found by searching, a new one typed.
  await page.locator('#root_kafkaCluster').click();
  await page.getByRole('option', { name: /^local/ }).click();
  await expect(page.locator('#root_kafkaCluster')).toHaveValue('local');
  const firstInput = page.locator('#root_inputTopics_0');
  if (!(await firstInput.isVisible().catch(() => false)))
    await page.getByRole('button', { name: 'Add Item' }).click();
  await firstInput.fill('sample.enr');
  await page.getByRole('option', { name: inputTopic, exact: true }).click();
  await expect(firstInput).toHaveValue(inputTopic);
  await page.getByRole('button', { name: 'Add Item' }).click();
  const secondInput = page.locator('#root_inputTopics_1');
  await secondInput.fill(newInputTopic);
  await secondInput.press('Tab');
  await expect(
    page.getByText('New topic: created on local by the template'),
  ).toBeVisible();
  // Array items read "Input topic", not the raw inputTopics-0.
  await expect(page.getByText(/inputTopics-\d/)).toHaveCount(0);
  await page.locator('#root_outputTopic').fill(outputTopic);
  await page.locator('#root_outputTopic').press('Tab');
  await shot(page, testInfo, 'scaffolder-form-topics');
  await page.getByRole('button', { name: 'Next' }).click();
  // 3. How it runs: a shell loop, as the demo app runs on the local Marathon
  await page
    .locator('#root_command')
    .fill(
      'while true; do echo "scaffolded app reads $KAFKA_INPUT_TOPICS"; sleep 5; done',
    );
  await page.getByRole('button', { name: 'Review' }).click();
  await expect(page.getByText(configPath).first()).toBeVisible();
  await shot(page, testInfo, 'scaffolder-review');
  await page.getByRole('button', { name: 'Create' }).click();
  created = true;
  // The task page: its output links appear once every step succeeded.
  const inCatalog = page.getByRole('link', { name: 'App in the catalog' });
  await expect(
    inCatalog.or(page.getByText(/Failed|failed/).first()).first(),
  ).toBeVisible({ timeout: 240_000 });
  await shot(page, testInfo, 'scaffolder-task');
  expect(await inCatalog.isVisible(), 'the scaffolder task succeeded').toBe(
    true,
  );
  const status = await api(
    'GET',
    `/apps/status?instance=local&configPath=${encodeURIComponent(configPath)}`,
  );
  expect(status.body?.exists, `${configPath} runs`).toBe(true);
  // The template created the input topic that did not exist.
  const createdInput = await api('GET', `/kafka/local/topics/${newInputTopic}`);
  expect(createdInput.status, `${newInputTopic} exists`).toBe(200);
  // The Marathon catalog provider lists the new app on its next read.
  let entity: CatalogEntity | undefined;
  await expect
    .poll(
      async () =>
        (entity = (
          await catalogEntities(
            `kind=component,metadata.annotations.archon.io/config-path=${configPath}`,
          )
        )[0]),
      {
        message: `the catalog lists a component for ${configPath}`,
        timeout: 180_000,
        intervals: [5000],
      },
    )
    .toBeTruthy();
  await inCatalog.click();
  await expect(
    page.getByRole('heading', { name: entity!.metadata.name }).first(),
  ).toBeVisible({ timeout: 60_000 });
  await expect(page.getByText(/\d+ of \d+ tasks healthy/).first()).toBeVisible({
    timeout: 60_000,
  });
});
