import path from 'node:path';
import { seedPipeline } from '../seed';

/** The sample's apps (enricher.mjs & co.), next to the sources. */
// eslint-disable-next-line no-restricted-syntax -- the apps are next to the sources
export const APPS_DIR = path.resolve(__dirname, '..', '..', 'apps');

/**
 * How the sample suites talk to their backend: archon's API by path, a GET
 * that must answer 200, and the seed of their private copy. `suite` is read
 * on each call (the backend starts in `beforeAll`).
 */
export function sampleClient(
  suite: () => { url: string; name: string; dataDir: string },
) {
  const api = async (p: string, init?: RequestInit) =>
    fetch(`${suite().url}/api/archon${p}`, init);
  const json = async (p: string) => {
    const res = await api(p);
    if (res.status !== 200)
      throw new Error(`GET ${p}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const seed = (log?: (line: string) => void) =>
    seedPipeline({
      baseUrl: suite().url,
      name: suite().name,
      nodeBinary: process.execPath,
      appsDir: APPS_DIR,
      dataDir: suite().dataDir,
      log,
    });
  return { api, json, seed };
}
