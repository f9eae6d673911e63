import { Command, Option } from 'commander';
import { ApiSession } from './api';
import { inCliTerms } from './apiFields';
import { resolveTarget, type ResolvedTarget } from './contexts';
import { CliError, UsageError } from './errors';
import { ExitCode } from './exitCodes';
import {
  colorEnabled,
  makeColors,
  Output,
  parseOutputFormat,
  type ViewFormat,
} from './output';
import { assertCanConfirm, confirm, type Terminal } from './prompt';

/** The process around the CLI; tests and the completion generator pass their own. */
export interface CliIo {
  stdin: NodeJS.ReadStream;
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  env: NodeJS.ProcessEnv;
}

/** The options every command accepts (defined on the root program). */
export interface GlobalOptions {
  output?: string;
  color?: boolean;
  context?: string;
  url?: string;
}

/**
 * What a command's action gets: output in the chosen format, the API
 * session for the chosen backend, and defaults from the context.
 */
export class CliRuntime {
  readonly io: CliIo;
  readonly globals: GlobalOptions;
  readonly out: Output;
  /** `-o tree|dot|mermaid` on a command that renders views (the graph commands); `out` is then for humans. */
  readonly view?: ViewFormat;
  #target?: ResolvedTarget;
  #session?: ApiSession;

  constructor(
    io: CliIo,
    globals: GlobalOptions,
    options: { views?: readonly ViewFormat[] } = {},
  ) {
    this.io = io;
    this.globals = globals;
    const requested = (globals.output ?? io.env.ARCHON_OUTPUT)?.toLowerCase();
    this.view = options.views?.find(v => v === requested);
    const format = this.view ? 'table' : parseOutputFormat(requested);
    this.out = new Output({
      format,
      colors: makeColors(colorEnabled(globals, io.stdout, io.env)),
      errColors: makeColors(colorEnabled(globals, io.stderr, io.env)),
      stdout: io.stdout,
      stderr: io.stderr,
    });
  }

  get env(): NodeJS.ProcessEnv {
    return this.io.env;
  }

  get terminal(): Terminal {
    return { stdin: this.io.stdin, stderr: this.io.stderr };
  }

  get target(): ResolvedTarget {
    this.#target ??= resolveTarget(
      { url: this.globals.url, context: this.globals.context },
      this.io.env,
    );
    return this.#target;
  }

  get api(): ApiSession {
    this.#session ??= new ApiSession(this.target, this.io.env, {
      warn: text => this.out.warn(text),
    });
    return this.#session;
  }

  confirm(options: {
    yes?: boolean;
    action: string;
    question?: string;
  }): Promise<void> {
    return confirm(this.terminal, options);
  }

  /** Call first in a destructive command: refuses without --yes and without a terminal. */
  assertCanConfirm(options: { yes?: boolean; action: string }): void {
    assertCanConfirm(this.terminal, options);
  }

  /** `--ensemble` > ARCHON_ENSEMBLE > the context's default > the server's default. */
  ensemble(flag?: string): string | undefined {
    return (
      flag ||
      this.env.ARCHON_ENSEMBLE ||
      this.target.context?.ensemble ||
      undefined
    );
  }

  /**
   * The ZooKeeper ensemble for `zk` (a required path parameter there):
   * `--ensemble` > ARCHON_ENSEMBLE > the context's > the only configured one
   * (as the health report names them).
   */
  async zkEnsemble(flag?: string): Promise<string> {
    const chosen = this.ensemble(flag);
    if (chosen) return chosen;
    const health = await this.api.call((c, o) =>
      c.getHealth({ query: { kind: ['zookeeper'] } }, o),
    );
    return onlyOne(
      'ZooKeeper ensemble',
      health.systems.filter(s => s.kind === 'zookeeper').map(s => s.name),
      'ARCHON_ENSEMBLE',
      '--ensemble',
    );
  }

  /** `--cluster` > ARCHON_KAFKA_CLUSTER > the context's default > the only configured one. */
  async kafkaCluster(flag?: string): Promise<string> {
    const chosen =
      flag ||
      this.env.ARCHON_KAFKA_CLUSTER ||
      this.target.context?.kafkaCluster;
    if (chosen) return chosen;
    const list = await this.api.call((c, o) => c.kafkaListClusters({}, o));
    return onlyOne(
      'Kafka',
      list.items.map(i => i.name),
      'ARCHON_KAFKA_CLUSTER',
    );
  }

  /**
   * The deploy target (e.g. a Marathon instance): `--target` >
   * ARCHON_DEPLOY_TARGET > the context's default > the only one the
   * backend offers.
   */
  async deployTarget(flag?: string): Promise<string> {
    const chosen = this.chosenTarget(flag);
    if (chosen) return chosen;
    const list = await this.api.call((c, o) => c.listDeployTargets({}, o));
    return onlyOne(
      'deploy target',
      list.items.map(i => i.name),
      'ARCHON_DEPLOY_TARGET',
      '--target',
    );
  }

  /** `--target` > ARCHON_DEPLOY_TARGET > the context's default; undefined when none says. */
  chosenTarget(flag?: string): string | undefined {
    return (
      flag ||
      this.env.ARCHON_DEPLOY_TARGET ||
      this.target.context?.deployTarget ||
      undefined
    );
  }

  /** `--cluster` > ARCHON_CONNECT_CLUSTER > the context's default > the only configured one. */
  async connectCluster(flag?: string): Promise<string> {
    const chosen =
      flag ||
      this.env.ARCHON_CONNECT_CLUSTER ||
      this.target.context?.connectCluster;
    if (chosen) return chosen;
    const list = await this.api.call((c, o) => c.connectListClusters({}, o));
    return onlyOne(
      'Kafka Connect',
      list.items.map(i => i.name),
      'ARCHON_CONNECT_CLUSTER',
    );
  }
}

function onlyOne(
  kind: string,
  names: string[],
  envName: string,
  flag = '--cluster',
): string {
  const what = kind.includes(' ') ? kind : `${kind} cluster`;
  if (names.length === 1) return names[0];
  if (names.length === 0)
    throw new CliError(`archon has no ${what} configured`, ExitCode.NotFound);
  throw new UsageError(
    `archon has ${names.length} ${what}s (${names.join(
      ', ',
    )}): choose one with ${flag} or ${envName}`,
  );
}

/** The handler of a command: the runtime, then commander's positional arguments and options. */
export type Action<A extends unknown[]> = (
  rt: CliRuntime,
  ...args: A
) => Promise<void>;

/**
 * Wraps an action so it gets a runtime built from the global options. Errors
 * propagate to `runCli`, which prints them and picks the exit code; an API
 * error first gets the command's flag names for the API's field names.
 */
export function action<A extends unknown[]>(
  io: CliIo,
  handler: Action<A>,
  options: { views?: readonly ViewFormat[] } = {},
) {
  return async (...args: unknown[]) => {
    const cmd = args[args.length - 1] as Command;
    const rt = new CliRuntime(
      io,
      cmd.optsWithGlobals() as GlobalOptions,
      options,
    );
    try {
      await handler(rt, ...(args.slice(0, -1) as A));
    } catch (error) {
      // The API names its fields; the user typed flags and arguments.
      throw inCliTerms(error, cmd);
    }
  };
}

/** `--yes`: skip the confirmation of a destructive command. */
export const yesOption = () =>
  new Option(
    '-y, --yes',
    'do not ask for confirmation (required without a terminal)',
  );

/** Repeated `--opt a --opt b` into an array. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `key=value` into [key, value]; the value may contain '='. */
export function parseAssignment(
  text: string,
  what = 'key=value',
): [string, string] {
  const i = text.indexOf('=');
  if (i <= 0) throw new UsageError(`"${text}" is not ${what}`);
  return [text.slice(0, i), text.slice(i + 1)];
}

export function parseAssignments(
  list: string[] | undefined,
  what?: string,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list ?? []) {
    const [k, v] = parseAssignment(item, what);
    out[k] = v;
  }
  return out;
}

/** A non-negative integer option. */
export function intArg(name: string, options: { min?: number } = {}) {
  return (value: string): number => {
    const n = Number(value);
    if (
      !/^-?\d+$/.test(value.trim()) ||
      !Number.isSafeInteger(n) ||
      n < (options.min ?? 0)
    ) {
      throw new UsageError(
        `${name} must be an integer${
          options.min !== undefined ? ` >= ${options.min}` : ' >= 0'
        }, not "${value}"`,
      );
    }
    return n;
  };
}

/** Ctrl-C handlers of streaming commands, innermost last (see index.ts). */
export const interruptHandlers: Array<() => void> = [];
