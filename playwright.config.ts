// The portal's browser tests (packages/app/e2e-tests, one file per page, as
// Backstage's create-app lays them out) against the running portal:
// `yarn test:e2e` (scripts/test.sh runs it after the unit tests). Debian's
// Chromium through executablePath: no browser is downloaded.
import { defineConfig } from '@playwright/test';
import {
  ARTIFACTS,
  BASE,
  CHROMIUM,
  CHROMIUM_ARGS,
  GUEST_STATE,
} from './packages/app/e2e-tests/environment';

export default defineConfig({
  testDir: 'packages/app/e2e-tests',
  outputDir: ARTIFACTS,
  globalSetup: './packages/app/e2e-tests/globalSetup.ts',
  // The portal restarts when others edit its sources: one retry, as before.
  retries: 1,
  // Two cores shared by the team: one browser at a time.
  workers: 1,
  fullyParallel: false,
  forbidOnly: !!process.env.CI,
  timeout: 300_000,
  expect: { timeout: 30_000 },
  reporter: [['list'], ['./packages/app/e2e-tests/summaryReporter.ts']],
  use: {
    baseURL: BASE,
    viewport: { width: 1440, height: 900 },
    actionTimeout: 30_000,
    navigationTimeout: 30_000,
    screenshot: { mode: 'on', fullPage: true },
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
  },
  projects: [
    { name: 'sign-in', testMatch: /signIn\.setup\.ts$/ },
    {
      name: 'portal',
      testMatch: /\.test\.ts$/,
      dependencies: ['sign-in'],
      use: { storageState: GUEST_STATE },
    },
  ],
});
