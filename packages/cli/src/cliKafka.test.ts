/**
 * The CLI as a subprocess against a real archon backend: Kafka topics,
 * messages and consumer groups, and Kafka Connect connectors (see
 * __testUtils__/cliSuite.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { activeTails } from '@archon/plugin-archon-kafka';
import { waitFor } from '@archon/test-utils';
import { runCli } from './__testUtils__/cliTestBackend';
import {
  backend,
  cli,
  expectNoStack,
  home,
  json,
  topicReady,
  useCliBackend,
} from './__testUtils__/cliSuite';

jest.setTimeout(180_000);

useCliBackend();

describe('kafka', () => {
  const topic = () => `${backend.ns.topicPrefix}orders`;

  afterAll(async () => {
    await cli(['topics', 'delete', topic(), '--yes']);
  });

  it('topics: create, describe, list; messages: produce and read', async () => {
    const created = await cli([
      'topics',
      'create',
      topic(),
      '-p',
      '2',
      '--config',
      'retention.ms=3600000',
    ]);
    expect(created.code).toBe(0);
    expect(created.stdout).toContain(`created topic ${topic()}`);
    const again = await cli(['topics', 'create', topic(), '-p', '2']);
    expect(again.code).toBe(4);
    expect(again.stderr).toContain('already exists');

    const described = await json(['topics', 'describe', topic()]);
    expect(described.partitions).toHaveLength(2);
    expect(described.configs).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'retention.ms',
          value: '3600000',
          isOverride: true,
        }),
      ]),
    );
    const human = await cli(['topics', 'describe', topic()]);
    expect(human.stdout).toMatch(/^retention\.ms\s+3600000\s+topic$/m);
    const listed = await json([
      'topics',
      'ls',
      '--filter',
      backend.ns.topicPrefix,
    ]);
    expect(listed.items.map((t: { name: string }) => t.name)).toEqual([
      topic(),
    ]);

    await topicReady(topic());
    expect(
      (
        await cli([
          'messages',
          'produce',
          topic(),
          'hello',
          '-k',
          'k1',
          '-H',
          'h=v',
        ])
      ).code,
    ).toBe(0);
    expect(
      (
        await cli(
          ['messages', 'produce', topic(), '--lines', '--key-separator', ':'],
          { input: 'a:one\nb:two\n' },
        )
      ).code,
    ).toBe(0);
    const read = await json(['messages', 'read', topic(), '--from', 'oldest']);
    expect(read.from).toBe('oldest');
    expect(
      read.messages
        .map((m: { value: { text: string } }) => m.value.text)
        .sort(),
    ).toEqual(['hello', 'one', 'two']);
    const tailed = await cli([
      'messages',
      'tail',
      topic(),
      '-n',
      '3',
      '--max',
      '3',
      '-o',
      'json',
    ]);
    expect(tailed.code).toBe(0);
    const lines = tailed.stdout
      .trim()
      .split('\n')
      .map(l => JSON.parse(l));
    expect(lines.map(m => m.value.text).sort()).toEqual([
      'hello',
      'one',
      'two',
    ]);
    const shown = await cli(['messages', 'read', topic(), '--headers']);
    expect(shown.stdout).toMatch(/ k1 hello \[h=v\]$/m);
  });

  it('messages: the server-side filter with its progress, in read and tail; a bad filter in CLI terms', async () => {
    const filtered = `${topic()}-filtered`;
    expect((await cli(['topics', 'create', filtered, '-p', '2'])).code).toBe(0);
    try {
      await topicReady(filtered);
      expect(
        (
          await cli(
            [
              'messages',
              'produce',
              filtered,
              '--lines',
              '--key-separator',
              ':',
            ],
            { input: 'a:one\nb:two\nc:hello\n' },
          )
        ).code,
      ).toBe(0);
      const byKey = await cli(['messages', 'read', filtered, '--key', 'b']);
      expect(byKey.code).toBe(0);
      expect(byKey.stdout).toMatch(/ b two$/m);
      expect(byKey.stdout).not.toMatch(/hello|one/);
      expect(byKey.stdout).toMatch(/^scanned 3 of 3, 1 match$/m);
      const contains = await json([
        'messages',
        'read',
        filtered,
        '--value-contains',
        'ell',
      ]);
      expect(contains.messages.map((m: any) => m.value.text)).toEqual([
        'hello',
      ]);
      const notPath = await cli([
        'messages',
        'read',
        filtered,
        '--json-path',
        'a == 1',
      ]);
      expect(notPath.code).toBe(2);
      expect(notPath.stderr).toMatch(/--json-path must start with "\$"/);
      const badPath = await cli([
        'messages',
        'read',
        filtered,
        '--json-path',
        '$.a ==',
      ]);
      expect(badPath.code).toBe(2);
      expect(badPath.stderr).toMatch(/--json-path: expected a value/);
      expect(badPath.stderr).not.toMatch(/jsonPath/);
      const filteredTail = await cli([
        'messages',
        'tail',
        filtered,
        '-n',
        '3',
        '--max',
        '1',
        '--value-contains',
        'one',
        '-o',
        'json',
      ]);
      expect(filteredTail.code).toBe(0);
      expect(JSON.parse(filteredTail.stdout.trim()).value.text).toBe('one');
    } finally {
      await cli(['topics', 'delete', filtered, '--yes']);
    }
  });

  it('messages tail: follows over the stream, prints a record produced after it attached, Ctrl-C ends it with exit 0 and the server stops tailing', async () => {
    const followed = `${topic()}-followed`;
    expect((await cli(['topics', 'create', followed, '-p', '2'])).code).toBe(0);
    try {
      await topicReady(followed);
      expect(
        (await cli(['messages', 'produce', followed, 'before', '-k', 'b']))
          .code,
      ).toBe(0);
      const before = activeTails();
      const running = runCli(
        ['messages', 'tail', followed, '-n', '1', '-o', 'json'],
        {
          home,
          env: { ARCHON_URL: backend.url },
          interruptWhen: out => out.includes('"after"'),
        },
      );
      await waitFor(
        () => activeTails() === before + 1,
        60_000,
        'the tail to attach',
      );
      expect(
        (await cli(['messages', 'produce', followed, 'after', '-k', 'a'])).code,
      ).toBe(0);
      const tailed = await running;
      expect(tailed.code).toBe(0);
      expect(
        tailed.stdout
          .trim()
          .split('\n')
          .map(l => JSON.parse(l).value.text),
      ).toEqual(['before', 'after']);
      await waitFor(
        () => activeTails() === before,
        30_000,
        'the server to stop tailing',
      );

      const lifetime = await cli([
        'messages',
        'tail',
        followed,
        '-n',
        '0',
        '--max-seconds',
        '1',
      ]);
      expect(lifetime.code).toBe(0);
      expect(lifetime.stderr).toMatch(
        /^the tail ended: the tail's lifetime of 1 s is over; start it again to go on$/m,
      );
      const tooLong = await cli([
        'messages',
        'tail',
        followed,
        '--max-seconds',
        '7200',
      ]);
      expect(tooLong.code).toBe(2);
      expect(tooLong.stderr).toMatch(/--max-seconds must be at most 3600/);
      const missing = await cli(['messages', 'tail', `${followed}-none`]);
      expect(missing.code).toBe(3);
      expectNoStack(missing.stderr);
    } finally {
      await cli(['topics', 'delete', followed, '--yes']);
    }
  });

  it('groups: offsets set for a new group, lag, reset preview, reset with --yes, delete', async () => {
    const group = `${backend.ns.groupPrefix}reader`;
    // A reset that names the topic gives a new group committed offsets.
    const start = await cli([
      'groups',
      'reset',
      group,
      '--to',
      'earliest',
      '--topic',
      topic(),
      '--yes',
    ]);
    expect(start.code).toBe(0);
    expect(start.stdout).toMatch(/^TOPIC\s+PARTITION\s+CURRENT\s+NEW/m);
    expect((await json(['groups', 'lag', group])).totalLag).toBe(3);
    expect((await json(['groups', 'ls', '--filter', group])).items).toEqual([
      expect.objectContaining({ groupId: group, totalLag: 3 }),
    ]);
    expect((await cli(['groups', 'describe', group])).stdout).toMatch(
      /^state:\s+Empty$/m,
    );

    const preview = await json([
      'groups',
      'reset',
      group,
      '--to',
      'latest',
      '--dry-run',
    ]);
    expect(preview).toMatchObject({
      dryRun: true,
      applied: false,
      totalLagAfter: 0,
    });
    expect((await json(['groups', 'lag', group])).totalLag).toBe(3);
    const refused = await cli(['groups', 'reset', group, '--to', 'latest']);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --yes');
    expect(
      await json(['groups', 'reset', group, '--to', 'latest', '--yes']),
    ).toMatchObject({ applied: true, totalLagAfter: 0 });
    expect((await json(['groups', 'lag', group])).totalLag).toBe(0);
    expect((await cli(['groups', 'delete', group, '--yes'])).code).toBe(0);
    expect((await cli(['groups', 'describe', group])).code).toBe(3);
  });

  it('topics: delete refuses without a terminal, deletes with --yes', async () => {
    const refused = await cli(['topics', 'delete', topic()]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('pass --yes');
    expect((await cli(['topics', 'describe', topic()])).code).toBe(0);

    expect((await cli(['topics', 'delete', topic(), '--yes'])).code).toBe(0);
    const missing = await cli(['topics', 'describe', topic()]);
    expect(missing.code).toBe(3);
    expectNoStack(missing.stderr);
  });
});

describe('connectors', () => {
  it('create from a file with a validation error: exit 7 and the field errors', async () => {
    const file = path.join(home, 'bad-connector.yaml');
    fs.writeFileSync(
      file,
      YAML.stringify({
        name: `${backend.ns.topicPrefix}bad`,
        config: {
          'connector.class':
            'org.apache.kafka.connect.file.FileStreamSourceConnector',
          'tasks.max': 'many',
          file: '/dev/null',
        },
      }),
    );
    const r = await cli(['connectors', 'create', '-f', file]);
    expect(r.code).toBe(7);
    const [first, ...details] = r.stderr.trim().split('\n');
    expect(first).toMatch(
      /^error: connector config is invalid \(\d error\(s\)\) \(HTTP 422 UnprocessableError\)$/,
    );
    expect(details).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ {2}tasks\.max: Invalid value many/),
        expect.stringMatching(/^ {2}topic: Missing required configuration/),
      ]),
    );
    expectNoStack(r.stderr);

    const validated = await cli([
      'connectors',
      'validate',
      '-f',
      file,
      '-o',
      'json',
    ]);
    expect(validated.code).toBe(7);
    expect(Object.keys(JSON.parse(validated.stdout).fields)).toEqual(
      expect.arrayContaining(['tasks.max', 'topic']),
    );
    expect(
      (await cli(['connectors', 'status', `${backend.ns.topicPrefix}bad`]))
        .code,
    ).toBe(3);
  });

  it('lists connectors and plugins as JSON; delete refuses without a terminal', async () => {
    expect(Array.isArray((await json(['connectors', 'ls'])).items)).toBe(true);
    const plugins = await json(['connectors', 'plugins']);
    expect(plugins.items.map((p: { class: string }) => p.class)).toContain(
      'org.apache.kafka.connect.file.FileStreamSinkConnector',
    );
    expect((await cli(['connectors', 'delete', 'anything'])).code).toBe(2);
  });
});
