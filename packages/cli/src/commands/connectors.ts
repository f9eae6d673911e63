import type { Command } from 'commander';
import YAML from 'yaml';
import type {
  ConnectConnector,
  ConnectConnectorRequestConfig,
} from '@archon/plugin-archon-common';
import { CliError, UsageError } from '../lib/errors';
import { ExitCode } from '../lib/exitCodes';
import { readInputFile } from '../lib/files';
import {
  morePagesHint,
  readPages,
  withPageFlags,
  type PageFlags,
} from '../lib/paging';
import { formatFields, formatTable, type Colors } from '../lib/output';
import { action, yesOption, type CliIo, type CliRuntime } from '../lib/runtime';

const STATES = [
  'RUNNING',
  'PAUSED',
  'STOPPED',
  'FAILED',
  'UNASSIGNED',
  'RESTARTING',
] as const;

/**
 * A connector file: Connect's own shapes, in JSON or YAML — `{ name, config: {...} }`
 * (as for POST /connectors) or the flat config (as for PUT .../config, the
 * name in `name`). Every value is read as a string, as Connect wants.
 */
export function parseConnectorFile(
  text: string,
  file: string,
): { name?: string; config: Record<string, string> } {
  let doc: unknown;
  try {
    doc = YAML.parse(text, { schema: 'failsafe' });
  } catch (error) {
    throw new UsageError(
      `${file} is not valid JSON or YAML: ${
        (error as Error).message.split('\n')[0]
      }`,
    );
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc))
    throw new UsageError(
      `${file} must hold a mapping: { name, config: {...} } or the flat config`,
    );
  const record = doc as Record<string, unknown>;
  const nested =
    record.config &&
    typeof record.config === 'object' &&
    !Array.isArray(record.config);
  const raw = (nested ? record.config : record) as Record<string, unknown>;
  const config: Record<string, string> = {};
  for (const [k, v] of Object.entries(raw)) {
    if (v !== null && typeof v === 'object')
      throw new UsageError(
        `${file}: the config value of "${k}" must be a string, not a ${
          Array.isArray(v) ? 'list' : 'mapping'
        }`,
      );
    config[k] = v === null || v === undefined ? '' : String(v);
  }
  const name = typeof record.name === 'string' ? record.name : config.name;
  if (nested) {
    for (const key of Object.keys(record)) {
      if (key !== 'name' && key !== 'config')
        throw new UsageError(
          `${file}: unexpected top-level key "${key}" (only name and config)`,
        );
    }
  }
  return { name: name || undefined, config };
}

function stateColor(state: string | undefined, colors: Colors): string {
  if (!state) return '';
  if (state === 'RUNNING') return colors.green(state);
  if (state === 'FAILED') return colors.red(state);
  if (
    state === 'PAUSED' ||
    state === 'STOPPED' ||
    state === 'UNASSIGNED' ||
    state === 'RESTARTING'
  )
    return colors.yellow(state);
  return state;
}

function firstLine(trace: string | undefined): string {
  return (trace ?? '').split('\n')[0].trim();
}

function formatConnector(
  c: ConnectConnector,
  colors: Colors,
  options: { trace?: boolean; config?: boolean },
): string {
  const parts = [
    formatFields(
      [
        ['connector', c.name],
        ['type', c.type],
        ['state', stateColor(c.state, colors)],
        ['worker', c.workerId ?? undefined],
        [
          'topics',
          c.activeTopics?.length ? c.activeTopics.join(', ') : undefined,
        ],
      ],
      colors,
    ),
  ];
  if (c.trace)
    parts.push(colors.red(options.trace ? c.trace : `  ${firstLine(c.trace)}`));
  parts.push(
    '',
    c.tasks.length
      ? formatTable(
          ['task', 'state', 'worker', 'error'],
          c.tasks.map(t => [
            t.id,
            stateColor(t.state, colors),
            t.workerId ?? '',
            firstLine(t.trace),
          ]),
          { colors, alignRight: [0] },
        )
      : colors.dim('no tasks'),
  );
  if (options.trace) {
    for (const t of c.tasks.filter(x => x.trace))
      parts.push('', colors.bold(`task ${t.id}:`), t.trace!);
  }
  if (options.config) {
    parts.push(
      '',
      formatTable(
        ['config', 'value'],
        Object.keys(c.config)
          .sort()
          .map(k => [k, c.config[k]]),
        { colors },
      ),
    );
  }
  return parts.join('\n');
}

async function connectorFile(
  rt: CliRuntime,
  file: string | undefined,
  nameArg?: string,
) {
  if (!file)
    throw new UsageError(
      'give the connector file with -f <file> (JSON or YAML; - for stdin)',
    );
  const parsed = parseConnectorFile(
    await readInputFile(file, rt.io.stdin),
    file,
  );
  const name = nameArg ?? parsed.name;
  if (!name)
    throw new UsageError(`${file} has no "name": add one, or pass --name`);
  return { name, config: withClass(parsed.config, file) };
}

/** The config, typed as the API wants it: with its connector.class. */
function withClass(
  config: Record<string, string>,
  file = 'the file',
): ConnectConnectorRequestConfig {
  const connectorClass = config['connector.class'];
  if (!connectorClass) throw new UsageError(`${file} has no "connector.class"`);
  return { ...config, 'connector.class': connectorClass };
}

export function registerConnectorsCommands(program: Command, io: CliIo) {
  const connectors = program
    .command('connectors')
    .alias('connector')
    .description('Kafka Connect connectors')
    .option(
      '-c, --cluster <name>',
      "Kafka Connect cluster (default: the context's, else the only one)",
    );
  const cluster = (rt: CliRuntime) =>
    rt.connectCluster((connectors.opts() as { cluster?: string }).cluster);

  withPageFlags(
    connectors
      .command('ls')
      .alias('list')
      .description('connectors with state and tasks, failing ones first')
      .option(
        '--state <state>',
        `only this state (${STATES.join(', ')}; FAILED includes failed tasks)`,
      )
      .option('--filter <text>', 'name contains (case-insensitive)'),
  ).action(
    action(
      io,
      async (rt, options: PageFlags & { state?: string; filter?: string }) => {
        const state = options.state?.toUpperCase() as
          | (typeof STATES)[number]
          | undefined;
        if (state && !STATES.includes(state))
          throw new UsageError(
            `unknown state "${options.state}" (use ${STATES.join(', ')})`,
          );
        const name = await cluster(rt);
        const list = await readPages(options, page =>
          rt.api.call((c, o) =>
            c.connectListConnectors(
              {
                path: { cluster: name },
                query: { state, filter: options.filter, ...page },
              },
              o,
            ),
          ),
        );
        const { colors } = rt.out;
        rt.out.result(list, () => {
          if (!list.items.length) return colors.dim('no connectors');
          const table = formatTable(
            ['name', 'type', 'state', 'tasks', 'failed'],
            list.items.map(c => [
              c.name,
              c.type,
              stateColor(c.state, colors),
              c.tasks.length,
              c.failedTasks ? colors.red(String(c.failedTasks)) : '0',
            ]),
            { colors, alignRight: [3, 4] },
          );
          const more = morePagesHint(list);
          return more ? `${table}\n${colors.dim(more)}` : table;
        });
      },
    ),
  );

  connectors
    .command('status')
    .alias('describe')
    .description(
      'state, worker and tasks with their errors; exit 9 when the connector or a task failed',
    )
    .argument('<name>', 'connector name')
    .option('--trace', 'full stack traces')
    .option('--config', 'also the config (secrets masked)')
    .action(
      action(
        io,
        async (
          rt,
          connector: string,
          options: { trace?: boolean; config?: boolean },
        ) => {
          const name = await cluster(rt);
          const c = await rt.api.call((cl, o) =>
            cl.connectGetConnector(
              { path: { cluster: name, name: connector } },
              o,
            ),
          );
          rt.out.result(c, () => formatConnector(c, rt.out.colors, options));
          const failed = c.tasks.filter(t => t.state === 'FAILED').length;
          if (c.state === 'FAILED' || failed) {
            throw new CliError(
              `${connector} is ${
                c.state === 'FAILED'
                  ? 'FAILED'
                  : `running with ${failed} failed task${
                      failed === 1 ? '' : 's'
                    }`
              }`,
              ExitCode.Unhealthy,
              [
                `  restart it with: archon connectors restart ${connector}${
                  c.state === 'FAILED' ? '' : ' --failed-only'
                }`,
              ],
            );
          }
        },
      ),
    );

  connectors
    .command('create')
    .description(
      "create a connector from a file, after Connect's validation accepts it (field errors are printed, exit 7)",
    )
    .requiredOption(
      '-f, --file <file>',
      'JSON or YAML: { name, config } or the flat config (- for stdin)',
    )
    .option('--name <name>', 'connector name (default: from the file)')
    .action(
      action(io, async (rt, options: { file: string; name?: string }) => {
        const body = await connectorFile(rt, options.file, options.name);
        const name = await cluster(rt);
        const created = await rt.api.call((c, o) =>
          c.connectCreateConnector({ path: { cluster: name }, body }, o),
        );
        rt.out.result(
          created,
          () =>
            `${rt.out.colors.green('✓')} created connector ${
              created.name
            } in ${name} (${stateColor(created.state, rt.out.colors)})`,
        );
      }),
    );

  connectors
    .command('update')
    .description(
      "replace a connector's config from a file (validated first; masked secrets sent back keep their values)",
    )
    .argument('[name]', 'connector name (default: from the file)')
    .requiredOption(
      '-f, --file <file>',
      'JSON or YAML: { name, config } or the flat config (- for stdin)',
    )
    .action(
      action(
        io,
        async (rt, nameArg: string | undefined, options: { file: string }) => {
          const { name: connector, config } = await connectorFile(
            rt,
            options.file,
            nameArg,
          );
          const name = await cluster(rt);
          const updated = await rt.api.call((c, o) =>
            c.connectUpdateConnectorConfig(
              { path: { cluster: name, name: connector }, body: { config } },
              o,
            ),
          );
          rt.out.result(
            updated,
            () =>
              `${rt.out.colors.green(
                '✓',
              )} updated connector ${connector} (${stateColor(
                updated.state,
                rt.out.colors,
              )})`,
          );
        },
      ),
    );

  connectors
    .command('validate')
    .description(
      "Connect's validation of a connector file, per field; exit 7 when invalid",
    )
    .requiredOption(
      '-f, --file <file>',
      'JSON or YAML: { name, config } or the flat config (- for stdin)',
    )
    .option('--name <name>', 'connector name (default: from the file)')
    .action(
      action(io, async (rt, options: { file: string; name?: string }) => {
        const parsed = parseConnectorFile(
          await readInputFile(options.file, rt.io.stdin),
          options.file,
        );
        const connector = options.name ?? parsed.name ?? 'archon-validate';
        const name = await cluster(rt);
        const result = await rt.api.call((c, o) =>
          c.connectValidateConfig(
            {
              path: { cluster: name },
              body: {
                name: connector,
                config: withClass(parsed.config, options.file),
              },
            },
            o,
          ),
        );
        const lines = Object.entries(result.fields).flatMap(([field, errors]) =>
          errors.map(e => `  ${field}: ${e}`),
        );
        rt.out.result(result, () =>
          result.errorCount ? undefined : `${rt.out.colors.green('✓')} valid`,
        );
        if (result.errorCount) {
          throw new CliError(
            `the connector config is invalid (${result.errorCount} error${
              result.errorCount === 1 ? '' : 's'
            })`,
            ExitCode.Invalid,
            lines,
          );
        }
      }),
    );

  connectors
    .command('delete')
    .alias('rm')
    .description('delete a connector (asks first)')
    .argument('<name>', 'connector name')
    .addOption(yesOption())
    .action(
      action(io, async (rt, connector: string, options: { yes?: boolean }) => {
        rt.assertCanConfirm({
          yes: options.yes,
          action: `delete connector ${connector}`,
        });
        const name = await cluster(rt);
        await rt.confirm({
          yes: options.yes,
          action: `delete connector ${connector} in ${name}`,
        });
        const result = await rt.api.call((c, o) =>
          c.connectDeleteConnector(
            { path: { cluster: name, name: connector } },
            o,
          ),
        );
        rt.out.result(
          result,
          () => `${rt.out.colors.green('✓')} deleted connector ${connector}`,
        );
      }),
    );

  const stateChange = (
    verb: 'pause' | 'resume' | 'stop',
    description: string,
  ) =>
    connectors
      .command(verb)
      .description(description)
      .argument('<name>', 'connector name')
      .action(
        action(io, async (rt, connector: string) => {
          const name = await cluster(rt);
          const request = { path: { cluster: name, name: connector } };
          const result = await rt.api.call((c, o) => {
            if (verb === 'pause') return c.connectPauseConnector(request, o);
            if (verb === 'resume') return c.connectResumeConnector(request, o);
            return c.connectStopConnector(request, o);
          });
          rt.out.result(
            result,
            () =>
              `${rt.out.colors.green('✓')} ${verb} requested for ${connector}`,
          );
        }),
      );
  stateChange('pause', 'pause a connector and its tasks');
  stateChange('resume', 'resume a paused or stopped connector');
  stateChange(
    'stop',
    'stop a connector (its tasks are shut down; offsets can then be changed)',
  );

  connectors
    .command('restart')
    .description('restart a connector and its tasks')
    .argument('<name>', 'connector name')
    .option(
      '--failed-only',
      'only the failed instances (connector and/or tasks)',
    )
    .option('--connector-only', 'only the connector instance, not its tasks')
    .action(
      action(
        io,
        async (
          rt,
          connector: string,
          options: { failedOnly?: boolean; connectorOnly?: boolean },
        ) => {
          const name = await cluster(rt);
          const result = await rt.api.call((c, o) =>
            c.connectRestartConnector(
              {
                path: { cluster: name, name: connector },
                query: {
                  includeTasks: !options.connectorOnly,
                  onlyFailed: !!options.failedOnly,
                },
              },
              o,
            ),
          );
          rt.out.result(
            result,
            () =>
              `${rt.out.colors.green('✓')} restart requested for ${connector}${
                options.failedOnly ? ' (failed instances only)' : ''
              }`,
          );
        },
      ),
    );

  connectors
    .command('plugins')
    .description('installed connector plugins')
    .action(
      action(io, async rt => {
        const name = await cluster(rt);
        const result = (await rt.api.call((c, o) =>
          c.connectListPlugins({ path: { cluster: name } }, o),
        )) as {
          items?: Array<{
            class: string;
            type: string;
            version?: string | null;
          }>;
        };
        rt.out.result(result, () =>
          formatTable(
            ['class', 'type', 'version'],
            (result.items ?? []).map(p => [p.class, p.type, p.version ?? '']),
            { colors: rt.out.colors },
          ),
        );
      }),
    );
}
