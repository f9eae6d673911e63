import type { Command } from 'commander';
import type {
  ArchonApiClient,
  KafkaMessage,
  KafkaMessageList,
  KafkaMessagePayload,
  KafkaProduceRequest,
  KafkaProduceResult,
} from '@archon/plugin-archon-common';
import { UsageError } from '../lib/errors';
import { readStdin } from '../lib/prompt';
import { type Colors } from '../lib/output';
import {
  action,
  collect,
  interruptHandlers,
  intArg,
  parseAssignments,
  type CliIo,
  type CliRuntime,
} from '../lib/runtime';
import { parseTimestamp } from './groups';
import { kafkaClusterOf } from './topics';

type ReadRequest = Parameters<ArchonApiClient['kafkaReadMessages']>[0];
type ReadQuery = ReadRequest['query'];
type From = 'newest' | 'oldest' | 'offset' | 'timestamp';
const FORMATS = ['auto', 'utf8', 'json', 'hex', 'base64'] as const;
type Format = (typeof FORMATS)[number];
const ENCODINGS = ['utf8', 'base64', 'hex'] as const;

function payloadText(
  p: KafkaMessagePayload | null | undefined,
): string | undefined {
  if (!p) return undefined;
  if (p.format === 'json') {
    try {
      return JSON.stringify(JSON.parse(p.text));
    } catch {
      return p.text;
    }
  }
  return p.text;
}

function formatMessage(
  m: KafkaMessage,
  colors: Colors,
  options: { headers?: boolean },
): string {
  const key = payloadText(m.key);
  const value = payloadText(m.value);
  const headers =
    options.headers && m.headers.length
      ? ` ${colors.dim(
          `[${m.headers
            .map(h => `${h.key}=${payloadText(h.value) ?? ''}`)
            .join(' ')}]`,
        )}`
      : '';
  return `${colors.dim(
    `${m.time ?? new Date(m.timestamp).toISOString()} p${m.partition}@${
      m.offset
    }`,
  )} ${key !== undefined ? `${colors.cyan(key)} ` : ''}${
    value ?? colors.dim('(null)')
  }${headers}`;
}

function formatOption(name: string) {
  return (value: string): Format => {
    if (!(FORMATS as readonly string[]).includes(value))
      throw new UsageError(`${name} must be one of ${FORMATS.join(', ')}`);
    return value as Format;
  };
}

/** The payload display options that `read` and `tail` share. */
function withPayloadOptions(command: Command): Command {
  return command
    .option(
      '--key-format <format>',
      `${FORMATS.join(', ')} (default auto)`,
      formatOption('--key-format'),
    )
    .option(
      '--value-format <format>',
      `${FORMATS.join(', ')} (default auto)`,
      formatOption('--value-format'),
    )
    .option('--headers', 'show headers');
}

export function registerMessagesCommands(program: Command, io: CliIo) {
  const messages = program
    .command('messages')
    .alias('msg')
    .description(
      'read, follow and produce Kafka messages (reads join no consumer group)',
    )
    .option(
      '-c, --cluster <name>',
      "Kafka cluster (default: the context's, else the only one)",
    );
  const cluster = kafkaClusterOf(messages);

  withPayloadOptions(
    messages
      .command('read')
      .description(
        'read a bounded batch: the newest N (default), the oldest, from an offset or from a time',
      )
      .argument('<topic>', 'topic name')
      .option(
        '--from <where>',
        'newest, oldest, offset or timestamp (implied by --offset/--since)',
      )
      .option(
        '--offset <n>',
        'start at this offset (per partition)',
        intArg('--offset'),
      )
      .option('--since <time>', 'start at this time (ISO 8601 or epoch ms)')
      .option(
        '-p, --partition <n>',
        'only this partition',
        intArg('--partition'),
      )
      .option(
        '-n, --limit <n>',
        'messages (default 20, at most 1000)',
        intArg('--limit', { min: 1 }),
        20,
      ),
  ).action(
    action(
      io,
      async (
        rt,
        topic: string,
        options: {
          from?: string;
          offset?: number;
          since?: string;
          partition?: number;
          limit: number;
          keyFormat?: Format;
          valueFormat?: Format;
          headers?: boolean;
        },
      ) => {
        let from = options.from as From | undefined;
        if (from && !['newest', 'oldest', 'offset', 'timestamp'].includes(from))
          throw new UsageError(
            '--from must be newest, oldest, offset or timestamp',
          );
        if (options.offset !== undefined) from ??= 'offset';
        if (options.since !== undefined) from ??= 'timestamp';
        if (from === 'offset' && options.offset === undefined)
          throw new UsageError('--from offset needs --offset <n>');
        if (from === 'timestamp' && options.since === undefined)
          throw new UsageError('--from timestamp needs --since <time>');
        const name = await cluster(rt);
        const list = await rt.api.call((c, o) =>
          c.kafkaReadMessages(
            {
              path: { cluster: name, topic },
              query: {
                start: from,
                offset: options.offset,
                timestamp:
                  options.since !== undefined
                    ? parseTimestamp(options.since)
                    : undefined,
                partition: options.partition,
                limit: options.limit,
                keyFormat: options.keyFormat,
                valueFormat: options.valueFormat,
              },
            },
            o,
          ),
        );
        const { colors } = rt.out;
        rt.out.result(list, () => {
          // Oldest first on screen, like a log.
          const ordered = [...list.messages].sort(
            (a, b) =>
              a.timestamp - b.timestamp ||
              a.partition - b.partition ||
              a.offset - b.offset,
          );
          const lines = ordered.map(m => formatMessage(m, colors, options));
          if (!lines.length) lines.push(colors.dim('no messages'));
          if (list.truncated)
            lines.push(colors.dim(`(stopped by the ${list.truncated} limit)`));
          return lines.join('\n');
        });
      },
    ),
  );

  withPayloadOptions(
    messages
      .command('tail')
      .description(
        'follow a topic: the last N messages, then new ones as they arrive, until Ctrl-C (or --max)',
      )
      .argument('<topic>', 'topic name')
      .option(
        '-n, --lines <n>',
        'messages to show first (default 10)',
        intArg('--lines'),
        10,
      )
      .option(
        '-p, --partition <n>',
        'only this partition',
        intArg('--partition'),
      )
      .option(
        '--max <n>',
        'stop after this many messages',
        intArg('--max', { min: 1 }),
      )
      .option(
        '--interval <ms>',
        'poll interval (default 1000)',
        intArg('--interval', { min: 100 }),
        1000,
      ),
  ).action(
    action(
      io,
      async (
        rt,
        topic: string,
        options: {
          lines: number;
          partition?: number;
          max?: number;
          interval: number;
          keyFormat?: Format;
          valueFormat?: Format;
          headers?: boolean;
        },
      ) => {
        const name = await cluster(rt);
        await tail(rt, name, topic, options);
      },
    ),
  );

  messages
    .command('produce')
    .description(
      'produce a message: the value as argument or from stdin (--lines: one message per line)',
    )
    .argument('<topic>', 'topic name')
    .argument('[value]', 'the value (default: stdin)')
    .option('-k, --key <key>', 'the key')
    .option('-H, --header <key=value>', 'a header; repeatable', collect)
    .option(
      '-p, --partition <n>',
      'this partition (default: by key)',
      intArg('--partition'),
    )
    .option('--lines', 'each line of stdin is one message')
    .option(
      '--key-separator <sep>',
      'with --lines: split each line into key and value at the first <sep>',
    )
    .option(
      '--key-encoding <enc>',
      `how --key is encoded: ${ENCODINGS.join(', ')}`,
    )
    .option(
      '--value-encoding <enc>',
      `how the value is encoded: ${ENCODINGS.join(', ')}`,
    )
    .option(
      '--tombstone',
      'a null value (deletes the key in a compacted topic)',
    )
    .action(
      action(
        io,
        async (
          rt,
          topic: string,
          valueArg: string | undefined,
          options: {
            key?: string;
            header?: string[];
            partition?: number;
            lines?: boolean;
            keySeparator?: string;
            keyEncoding?: string;
            valueEncoding?: string;
            tombstone?: boolean;
          },
        ) => {
          for (const [flag, enc] of [
            ['--key-encoding', options.keyEncoding],
            ['--value-encoding', options.valueEncoding],
          ] as const) {
            if (enc && !(ENCODINGS as readonly string[]).includes(enc))
              throw new UsageError(
                `${flag} must be one of ${ENCODINGS.join(', ')}`,
              );
          }
          if (options.tombstone && (valueArg !== undefined || options.lines))
            throw new UsageError(
              '--tombstone sends no value: give neither a value nor --lines',
            );
          if (options.keySeparator && !options.lines)
            throw new UsageError('--key-separator works with --lines');
          const headers = parseAssignments(options.header, 'key=value');
          const base: Omit<KafkaProduceRequest, 'value'> = {
            headers: Object.keys(headers).length ? headers : undefined,
            partition: options.partition,
            keyEncoding:
              options.keyEncoding as KafkaProduceRequest['keyEncoding'],
            valueEncoding:
              options.valueEncoding as KafkaProduceRequest['valueEncoding'],
          };
          let bodies: KafkaProduceRequest[];
          if (options.tombstone)
            bodies = [{ ...base, key: options.key, value: null }];
          else if (options.lines) {
            if (valueArg !== undefined)
              throw new UsageError(
                '--lines reads stdin: give no value argument',
              );
            const text = await readStdin(rt.io.stdin);
            bodies = text
              .split(/\r?\n/)
              .filter(l => l.length > 0)
              .map(line => {
                if (options.keySeparator) {
                  const i = line.indexOf(options.keySeparator);
                  if (i < 0)
                    throw new UsageError(
                      `the line "${line.slice(0, 60)}" has no key separator "${
                        options.keySeparator
                      }"`,
                    );
                  return {
                    ...base,
                    key: line.slice(0, i),
                    value: line.slice(i + options.keySeparator.length),
                  };
                }
                return { ...base, key: options.key, value: line };
              });
          } else {
            const value =
              valueArg ?? (await readStdin(rt.io.stdin)).replace(/\r?\n$/, '');
            bodies = [{ ...base, key: options.key, value }];
          }
          const name = await cluster(rt);
          const results: KafkaProduceResult[] = [];
          for (const body of bodies) {
            results.push(
              await rt.api.call((c, o) =>
                c.kafkaProduceMessage(
                  { path: { cluster: name, topic }, body },
                  o,
                ),
              ),
            );
          }
          const { colors } = rt.out;
          rt.out.result(options.lines ? results : results[0], () =>
            results.length === 1
              ? `${colors.green('✓')} produced to ${
                  results[0].topic
                } partition ${results[0].partition} at offset ${
                  results[0].offset
                }`
              : `${colors.green('✓')} produced ${
                  results.length
                } messages to ${topic}`,
          );
        },
      ),
    );
}

/**
 * `messages tail`. The API reads bounded batches (there is no streaming read
 * endpoint), so this polls it through the typed client: the last N first,
 * then each partition from where the previous batch ended.
 */
async function tail(
  rt: CliRuntime,
  cluster: string,
  topic: string,
  options: {
    lines: number;
    partition?: number;
    max?: number;
    interval: number;
    keyFormat?: Format;
    valueFormat?: Format;
    headers?: boolean;
  },
) {
  const { colors } = rt.out;
  let printed = 0;
  let stopped = false;
  let wake: (() => void) | undefined;
  const stop = () => {
    stopped = true;
    wake?.();
  };
  interruptHandlers.push(stop);
  const emit = (batch: KafkaMessage[]) => {
    for (const m of batch.sort(
      (a, b) =>
        a.timestamp - b.timestamp ||
        a.partition - b.partition ||
        a.offset - b.offset,
    )) {
      if (options.max !== undefined && printed >= options.max) return;
      rt.out.record(m, () => formatMessage(m, colors, options));
      printed += 1;
    }
  };
  const done = () =>
    stopped || (options.max !== undefined && printed >= options.max);
  const read = (query: ReadQuery): Promise<KafkaMessageList> =>
    rt.api.call((c, o) =>
      c.kafkaReadMessages(
        {
          path: { cluster, topic },
          query: {
            ...query,
            keyFormat: options.keyFormat,
            valueFormat: options.valueFormat,
          },
        },
        o,
      ),
    );
  try {
    const first = await read({
      start: 'newest',
      limit: Math.max(1, options.lines),
      partition: options.partition,
      timeoutMs: 5000,
    });
    if (options.lines > 0) emit(first.messages);
    const next = new Map<number, number>(
      first.partitions.map(p => [p.partition ?? 0, p.endOffset ?? 0]),
    );
    if (!rt.out.machine)
      rt.out.info(
        colors.dim(
          `following ${topic} (${next.size} partition${
            next.size === 1 ? '' : 's'
          }); Ctrl-C to stop`,
        ),
      );
    const pause = () =>
      new Promise<void>(resolve => {
        wake = resolve;
        setTimeout(resolve, options.interval);
      });
    while (!done()) {
      await pause();
      if (done()) break;
      const batches = await Promise.all(
        [...next.entries()].map(([partition, offset]) =>
          read({
            start: 'offset',
            offset,
            partition,
            limit: 500,
            timeoutMs: 2000,
          }),
        ),
      );
      const fresh: KafkaMessage[] = [];
      for (const batch of batches) {
        for (const p of batch.partitions) {
          const seen = next.get(p.partition ?? 0) ?? 0;
          const fromBatch = batch.messages.filter(
            m => m.partition === p.partition && m.offset >= seen,
          );
          fresh.push(...fromBatch);
          if (p.nextOffset !== undefined)
            next.set(p.partition ?? 0, Math.max(seen, p.nextOffset));
        }
      }
      emit(fresh);
    }
  } finally {
    interruptHandlers.splice(interruptHandlers.indexOf(stop), 1);
  }
}
