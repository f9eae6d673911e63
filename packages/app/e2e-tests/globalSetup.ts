// Before any browser starts: Debian's Chromium is there and the portal answers.
import { ensureChromium, ensurePortal } from './environment';

export default async function globalSetup() {
  ensureChromium();
  await ensurePortal();
}
