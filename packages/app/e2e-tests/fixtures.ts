// What every browser test shares: the archon API with the static token (to
// seed and to verify), catalog look-ups that wait for the providers, retried
// navigation (the backend restarts when sources change), named screenshots,
// the guest's sign-in, and a record of browser console errors.
import {
  expect,
  Locator,
  Page,
  test as base,
  TestInfo,
} from '@playwright/test';
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { BASE, log, token, waitForPortal } from './environment';

export { expect };
export { BASE, ROOT, log, token } from './environment';

// The API answers JSON of many shapes; tests read the fields they check.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

/** Calls the archon API with the static token, retrying while the backend restarts. */
export async function api(
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: Json }> {
  let lastError: unknown;
  for (let attempt = 1; attempt <= 5; attempt++) {
    try {
      const res = await fetch(`${BASE}/api/archon${path}`, {
        method,
        headers: {
          Authorization: `Bearer ${token()}`,
          'Content-Type': 'application/json',
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(20_000),
      });
      const text = await res.text();
      let json: Json;
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
      if (res.status < 502 || attempt === 5)
        return { status: res.status, body: json };
      lastError = new Error(`${method} ${path}: ${res.status}`);
    } catch (error) {
      lastError = error;
    }
    await waitForPortal(60_000).catch(() => {});
  }
  throw lastError;
}

export type CatalogEntity = {
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
  };
};

/** Catalog entities matching a filter, read with the static token (none when the catalog cannot answer). */
export async function catalogEntities(
  filter: string,
): Promise<CatalogEntity[]> {
  try {
    const res = await fetch(
      `${BASE}/api/catalog/entities/by-query?filter=${encodeURIComponent(
        filter,
      )}&limit=50&fields=kind,metadata.name,metadata.namespace,metadata.annotations`,
      {
        headers: { Authorization: `Bearer ${token()}` },
        signal: AbortSignal.timeout(20_000),
      },
    );
    return res.ok ? (await res.json()).items ?? [] : [];
  } catch {
    return [];
  }
}

/**
 * The entities matching the filter, waiting until there is one (the test
 * fails at the deadline, naming the filter): entities for what start.sh
 * seeded appear with the provider's next run (every minute in the embedded
 * profile), which may come after the tests started. A check never skips
 * because the catalog has not filled yet.
 */
export async function catalogEntitiesEventually(
  filter: string,
  timeoutMs = 150_000,
): Promise<CatalogEntity[]> {
  let found: CatalogEntity[] = [];
  await expect
    .poll(async () => (found = await catalogEntities(filter)).length, {
      message: `a catalog entity for ${filter}`,
      timeout: timeoutMs,
      intervals: [5_000],
    })
    .toBeGreaterThan(0);
  return found;
}

/** The first entity matching the filter and `pick`, waiting for it as {@link catalogEntitiesEventually} does. */
export async function catalogEntityEventually(
  filter: string,
  pick: (e: CatalogEntity) => boolean = () => true,
  timeoutMs = 150_000,
): Promise<CatalogEntity> {
  let found: CatalogEntity | undefined;
  await expect
    .poll(async () => (found = (await catalogEntities(filter)).find(pick)), {
      message: `a catalog entity for ${filter}`,
      timeout: timeoutMs,
      intervals: [5_000],
    })
    .toBeTruthy();
  return found!;
}

/** The catalog page of an entity. */
export const entityUrl = (entity: CatalogEntity, tab = '') =>
  `${BASE}/catalog/${
    entity.metadata.namespace ?? 'default'
  }/${entity.kind.toLowerCase()}/${entity.metadata.name}${
    tab ? `/${tab}` : ''
  }`;

/** The app's sidebar (its <nav> has no box of its own: wait on its links). */
export const sidebar = (page: Page): Locator =>
  page.getByRole('navigation', { name: 'sidebar nav' });

/** Navigates, retrying while the backend restarts (the first navigation may hit one). */
export async function gotoWithRetry(
  page: Page,
  url: string,
  timeoutMs = 180_000,
): Promise<void> {
  await expect(async () => {
    const res = await page.goto(url, {
      waitUntil: 'domcontentloaded',
      timeout: 30_000,
    });
    expect(res?.ok(), `${url} answered ${res?.status()}`).toBe(true);
  }).toPass({ timeout: timeoutMs, intervals: [3000] });
}

/** A full-page screenshot named `name` in the test's output folder (test-artifacts/e2e/…). */
export async function shot(page: Page, testInfo: TestInfo, name: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await page
    .screenshot({ path, fullPage: true })
    .catch(e => log(`screenshot ${name} failed: ${e.message}`));
  testInfo.attachments.push({
    name,
    path,
    contentType: 'image/png',
  });
}

/** Signs in as the guest on the portal at `baseUrl` (the sign-in page offers "Enter"). */
export async function signInAsGuest(
  page: Page,
  testInfo: TestInfo,
  baseUrl: string,
): Promise<void> {
  await gotoWithRetry(page, `${baseUrl}/`);
  const enter = page.getByRole('button', { name: /enter/i });
  const home = sidebar(page).getByRole('link', {
    name: 'Catalog',
    exact: true,
  });
  await expect(enter.or(home).first()).toBeVisible();
  if (await enter.isVisible()) {
    await shot(page, testInfo, 'sign-in-page');
    await enter.click();
  }
  await expect(home).toBeVisible();
}

/**
 * Every test's page records browser console errors and 5xx answers of the
 * archon API in test-artifacts/e2e/console-errors.txt (for reading, not a
 * failure: some pages log expected errors).
 */
export const test = base.extend<{ consoleErrors: void }>({
  consoleErrors: [
    async ({ page }, use, testInfo) => {
      const errors: string[] = [];
      page.on('console', m => {
        if (m.type() === 'error') errors.push(m.text());
      });
      page.on('response', r => {
        if (r.url().includes('/api/archon/') && r.status() >= 500)
          errors.push(`${r.status()} ${r.request().method()} ${r.url()}`);
      });
      await use();
      if (errors.length) {
        mkdirSync(testInfo.project.outputDir, { recursive: true });
        appendFileSync(
          join(testInfo.project.outputDir, 'console-errors.txt'),
          errors.map(e => `${testInfo.title}: ${e}\n`).join(''),
        );
      }
    },
    { auto: true },
  ],
});
