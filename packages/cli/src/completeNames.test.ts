import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  makeCliHome,
  runCli,
  startCliTestBackend,
  type CliTestBackend,
} from './__testUtils__/cliTestBackend';
import { waitFor } from '@archon/local-cluster/testing';
import { COMPLETION_DEADLINE_MS } from './commands/complete';

jest.setTimeout(180_000);

/**
 * Name completion from the API: `archon __complete <kind> <prefix>` against a
 * real backend on the real local cluster, its deadline against a backend that
 * never answers, its cache, and the bash script calling it from a real bash.
 */
let backend: CliTestBackend;
let home: string;
// eslint-disable-next-line no-restricted-syntax -- the CLI as the shell runs it
const BIN = path.resolve(__dirname, '..', 'bin', 'archon');

const cli = (args: string[], env: Record<string, string> = {}) =>
  runCli(args, { home, env: { ARCHON_URL: backend.url, ...env } });

/** `__complete` with a cache of its own (none unless `cache` is given). */
async function names(kind: string, prefix: string, cache?: string) {
  const r = await cli(['__complete', kind, prefix], {
    XDG_CACHE_HOME: cache ?? fs.mkdtempSync(path.join(home, 'cache-')),
  });
  expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: '' });
  return r.stdout.split('\n').filter(Boolean);
}

beforeAll(async () => {
  backend = await startCliTestBackend('cli-complete');
  home = makeCliHome();
});

afterAll(async () => {
  if (backend) {
    await cli([
      'consumer-groups',
      'delete',
      `${backend.ns.groupPrefix}billing`,
      '--yes',
    ]);
    for (const name of ['orders', 'outbox', 'payments'])
      await cli([
        'topics',
        'delete',
        `${backend.ns.topicPrefix}${name}`,
        '--yes',
      ]);
  }
  await backend?.stop();
  if (home) fs.rmSync(home, { recursive: true, force: true });
});

describe('archon __complete', () => {
  const topic = (name: string) => `${backend.ns.topicPrefix}${name}`;

  it('lists configuration paths below the level typed so far', async () => {
    expect((await cli(['config', 'set', '/sample-shop', 'a=1'])).code).toBe(0);
    expect(
      (await cli(['config', 'set', '/sample-shop/cart', 'b=2'])).code,
    ).toBe(0);
    expect((await cli(['config', 'set', '/other', 'c=3'])).code).toBe(0);
    expect(await names('config-path', '/sam')).toEqual(['/sample-shop']);
    expect(await names('config-path', '/sample-shop/')).toEqual([
      '/sample-shop/cart',
    ]);
    expect(await names('config-path', '/nothing-like-it')).toEqual([]);
  });

  it('lists topics and consumer groups by prefix, and keeps them ~30 s in $XDG_CACHE_HOME', async () => {
    expect((await cli(['topics', 'create', topic('orders')])).code).toBe(0);
    expect(
      await waitFor(async () => {
        const found = await names('topic', topic('ord'));
        return found.length > 0 ? found : undefined;
      }, 60_000),
    ).toEqual([topic('orders')]);
    expect(await names('topic', topic('zzz'))).toEqual([]);

    const group = `${backend.ns.groupPrefix}billing`;
    expect(
      (
        await cli([
          'consumer-groups',
          'reset',
          group,
          '--to',
          'earliest',
          '--topic',
          topic('orders'),
          '--yes',
        ])
      ).code,
    ).toBe(0);
    // Completion answers nothing rather than keep the shell waiting past its
    // deadline; on a loaded machine the first asks may do that, so ask again.
    expect(
      await waitFor(async () => {
        const found = await names('consumer-group', backend.ns.groupPrefix);
        return found.length > 0 ? found : undefined;
      }, 60_000),
    ).toEqual([group]);

    // A cached answer: a topic created after it is not offered until the cache expires.
    const cache = fs.mkdtempSync(path.join(home, 'cache-'));
    expect(await names('topic', topic('o'), cache)).toEqual([topic('orders')]);
    expect(
      fs.readdirSync(path.join(cache, 'archon', 'completion')).length,
    ).toBe(1);
    expect((await cli(['topics', 'create', topic('outbox')])).code).toBe(0);
    expect(await names('topic', topic('o'), cache)).toEqual([topic('orders')]);
    // The cached list was every topic with that prefix: a longer prefix is served from it.
    expect(await names('topic', topic('or'), cache)).toEqual([topic('orders')]);
    expect(await names('topic', topic('o'))).toEqual([
      topic('orders'),
      topic('outbox'),
    ]);
  });

  it('answers nothing, quickly, when the backend does not answer', async () => {
    // Accepts connections and never answers: a frozen backend.
    const sockets: net.Socket[] = [];
    const frozen = net.createServer(s => sockets.push(s));
    await new Promise<void>(resolve => frozen.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${
      (frozen.address() as net.AddressInfo).port
    }`;
    try {
      // The CLI's own start-up time, on this (possibly busy) machine.
      let started = Date.now();
      expect((await cli(['__complete', 'nothing', 'x'])).code).toBe(0);
      const startup = Date.now() - started;
      started = Date.now();
      const r = await cli(['__complete', 'topic', 'x'], { ARCHON_URL: url });
      const took = Date.now() - started;
      expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
      expect(sockets.length).toBeGreaterThan(0);
      // Without the deadline it would wait for the CLI's request timeout (60 s).
      expect(took).toBeLessThan(startup + COMPLETION_DEADLINE_MS + 3000);
    } finally {
      sockets.forEach(s => s.destroy());
      frozen.close();
    }
  });
});

describe('the bash completion script', () => {
  it('completes a topic name from the API in a real bash', async () => {
    const script = (await cli(['completion', 'bash'])).stdout;
    const file = path.join(home, 'archon.bash');
    fs.writeFileSync(file, script);
    const complete = (words: string[]) =>
      new Promise<string[]>((resolve, reject) => {
        execFile(
          'bash',
          [
            '-c',
            `source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _archon; printf '%s\\n' "\${COMPREPLY[@]}"`,
            'bash',
            file,
            ...words,
          ],
          {
            encoding: 'utf8',
            env: {
              PATH: `${path.dirname(process.execPath)}:${process.env.PATH}`,
              HOME: home,
              XDG_CONFIG_HOME: path.join(home, 'config'),
              XDG_CACHE_HOME: fs.mkdtempSync(path.join(home, 'cache-')),
              ARCHON_TOKEN_FILE: path.join(home, 'no-token'),
            },
          },
          (error, stdout) =>
            error ? reject(error) : resolve(stdout.split('\n').filter(Boolean)),
        );
      });
    expect((await cli(['topics', 'create', topic('payments')])).code).toBe(0);
    expect(
      await complete([
        BIN,
        '--url',
        backend.url,
        'topics',
        'describe',
        topic('pay'),
      ]),
    ).toEqual([topic('payments')]);
    // An option's value: the topic of a consumer-group reset.
    expect(
      await complete([
        BIN,
        '--url',
        backend.url,
        'groups',
        'reset',
        'g',
        '--topic',
        topic('pay'),
      ]),
    ).toEqual([topic('payments')]);
    // Still commands where a command is expected.
    expect(
      await complete([BIN, '--url', backend.url, 'topics', 'desc']),
    ).toEqual(['describe']);
  });

  function topic(name: string) {
    return `${backend.ns.topicPrefix}${name}`;
  }
});
