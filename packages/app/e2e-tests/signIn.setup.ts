// The guest signs in once; every test of the `portal` project starts from
// this browser state (playwright.config.ts).
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { BASE, signInAsGuest, test } from './fixtures';
import { GUEST_STATE } from './environment';

test('sign-in-as-guest', async ({ page }, testInfo) => {
  await signInAsGuest(page, testInfo, BASE);
  mkdirSync(dirname(GUEST_STATE), { recursive: true });
  await page.context().storageState({ path: GUEST_STATE });
});
