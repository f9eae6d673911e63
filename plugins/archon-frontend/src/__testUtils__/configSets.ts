import { http, HttpResponse } from 'msw';
import type { SetupServer } from 'msw/node';
import { BASE } from './index';

/** GET answers the given sets in turn (the last one repeats); PATCH bodies are collected. */
export function serveConfigSets(
  server: SetupServer,
  sets: Array<{
    properties: Record<string, string>;
    version: number;
    masked?: boolean;
  }>,
  patch: (body: any, n: number) => Response | Promise<Response>,
) {
  const bodies: any[] = [];
  let gets = 0;
  server.use(
    http.get(`${BASE}/config/sets/:configPath`, () => {
      const set = sets[Math.min(gets++, sets.length - 1)];
      return HttpResponse.json({ path: '/team/app', ...set });
    }),
    http.patch(`${BASE}/config/sets/:configPath`, async ({ request }) => {
      const body = await request.json();
      bodies.push(body);
      return patch(body, bodies.length);
    }),
  );
  return bodies;
}
