import type { Command } from 'commander';
import type {
  KafkaProduceRequest,
  KafkaProduceResult,
} from '@archon/plugin-archon-common';
import { UsageError } from '../../lib/errors';
import { readStdin } from '../../lib/prompt';
import {
  action,
  collect,
  intArg,
  parseAssignments,
  type CliIo,
} from '../../lib/runtime';
import type { ClusterResolver } from '../../lib/clusterOption';

const ENCODINGS = ['utf8', 'base64', 'hex'] as const;

/** `archon messages produce` */
export function addProduceCommand(
  messages: Command,
  io: CliIo,
  cluster: ClusterResolver,
) {
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
