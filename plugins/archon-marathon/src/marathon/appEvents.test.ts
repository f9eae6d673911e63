import {
  collectSse,
  startHarness,
  type Harness,
} from '../__testUtils__/harness';

jest.setTimeout(120_000);

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ label: 'app-events' });
});

afterAll(async () => {
  await h?.stop();
});

describe('GET /marathon/{instance}/apps/{appId}/events', () => {
  it('answers 404 naming the app when it does not exist, instead of opening a stream', async () => {
    const answer = await collectSse(
      h.baseUrl,
      'GET',
      h.api('/marathon/local/apps/no/such/app/events'),
      undefined,
      undefined,
      20_000,
    );
    expect(answer.status).toBe(404);
    expect(answer.contentType).toMatch(/application\/json/);
    expect(answer.frames).toHaveLength(1);
    expect(answer.frames[0].data.error.message).toMatch(/\/no\/such\/app/);
  });

  it('streams the events of an app that exists', async () => {
    // Put straight into Marathon: the route only needs the app to exist.
    const created = await fetch(`${h.marathon.url}/v2/apps/events/known`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        cmd: 'sleep 1000',
        cpus: 0.1,
        mem: 32,
        instances: 0,
      }),
    });
    expect(created.ok).toBe(true);
    const answer = await collectSse(
      h.baseUrl,
      'GET',
      h.api('/marathon/local/apps/events/known/events'),
      undefined,
      f => f.event === 'attached',
      20_000,
    );
    expect(answer.status).toBe(200);
    expect(answer.contentType).toMatch(/text\/event-stream/);
    expect(answer.frames[0]).toEqual({
      event: 'attached',
      data: { instance: 'local', appId: '/events/known' },
    });
  });
});
