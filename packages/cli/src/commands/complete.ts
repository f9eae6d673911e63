import { setTimeout as delay } from 'node:timers/promises';
import type { Command } from 'commander';
import { instancesOf, listApps } from '../lib/appLookup';
import { CompletionCache } from '../lib/completionCache';
import { CliRuntime, type CliIo, type GlobalOptions } from '../lib/runtime';

/** The names `archon __complete` completes, and what the completion scripts call them. */
export const COMPLETION_KINDS = [
  'config-path',
  'topic',
  'consumer-group',
  'connector',
  'app',
  'target',
] as const;
export type CompletionKind = (typeof COMPLETION_KINDS)[number];

/**
 * How long a completion may wait for the API, in all. A shell waits for
 * Tab's answer: a slow or frozen backend gives no names, never a hang.
 */
export const COMPLETION_DEADLINE_MS = 1000;

/** One page is enough to complete from: at most this many names per answer. */
const MAX_NAMES = 1000;

interface CompleteOptions {
  cluster?: string;
  ensemble?: string;
  target?: string;
}

/** The names of `kind` starting with `prefix`, and whether they are all of them. */
async function lookup(
  rt: CliRuntime,
  kind: CompletionKind,
  prefix: string,
  options: CompleteOptions,
): Promise<{ names: string[]; complete: boolean }> {
  switch (kind) {
    case 'config-path': {
      // The children of the level typed so far: "/foo/ba" lists /foo's.
      const parent = prefix.slice(0, prefix.lastIndexOf('/')) || '/';
      const tree = await rt.api.call((c, o) =>
        c.getConfigTree(
          {
            query: {
              prefix: parent,
              depth: 1,
              ensemble: rt.ensemble(options.ensemble),
            },
          },
          o,
        ),
      );
      return {
        names: (tree.children ?? []).map(child => child.path),
        complete: false,
      };
    }
    case 'topic': {
      const cluster = await rt.kafkaCluster(options.cluster);
      const list = await rt.api.call((c, o) =>
        c.kafkaListTopics(
          {
            path: { cluster },
            // Names only: no figure is read.
            query: {
              filter: prefix || undefined,
              limit: MAX_NAMES,
              fields: 'name',
            },
          },
          o,
        ),
      );
      return {
        names: list.items.map(t => t.name),
        complete: list.items.length < MAX_NAMES,
      };
    }
    case 'consumer-group': {
      const cluster = await rt.kafkaCluster(options.cluster);
      const list = await rt.api.call((c, o) =>
        c.kafkaListConsumerGroups(
          {
            path: { cluster },
            query: { filter: prefix || undefined, limit: MAX_NAMES },
          },
          o,
        ),
      );
      return {
        names: list.items.map(g => g.groupId),
        complete: list.items.length < MAX_NAMES,
      };
    }
    case 'connector': {
      const cluster = await rt.connectCluster(options.cluster);
      const list = await rt.api.call((c, o) =>
        c.connectListConnectors(
          { path: { cluster }, query: { filter: prefix || undefined } },
          o,
        ),
      );
      return { names: list.items.map(c => c.name), complete: false };
    }
    case 'app': {
      const instances = await instancesOf(rt, options.target);
      const { apps, failed } = await listApps(rt, instances);
      return { names: apps.map(a => a.app.id), complete: !failed.length };
    }
    case 'target': {
      const list = await rt.api.call((c, o) => c.listDeployTargets({}, o));
      return { names: list.items.map(t => t.name), complete: true };
    }
    default:
      return { names: [], complete: false };
  }
}

/**
 * `archon __complete <kind> [prefix]`: the names the completion scripts
 * offer, one per line. Hidden: shells call it, people do not. Silent on every
 * failure (no backend, no token, a deadline passed): a completion prints
 * names or nothing, and never an error into the command line being typed.
 */
export function registerCompleteCommand(program: Command, io: CliIo) {
  program
    .command('__complete', { hidden: true })
    .description('names for shell completion (used by archon completion)')
    .argument('<kind>', COMPLETION_KINDS.join(', '))
    .argument('[prefix]', 'what is typed so far', '')
    .option('-c, --cluster <name>', 'Kafka or Connect cluster')
    .option('-e, --ensemble <name>', 'ZooKeeper ensemble')
    .option('-t, --target <target>', 'deploy target')
    .action(
      async (
        kind: string,
        prefix: string,
        options: CompleteOptions,
        cmd: Command,
      ) => {
        if (!(COMPLETION_KINDS as readonly string[]).includes(kind)) return;
        try {
          // Each request gets the whole deadline at most (ARCHON_REQUEST_TIMEOUT is in seconds)...
          const env = {
            ...io.env,
            ARCHON_REQUEST_TIMEOUT: String(COMPLETION_DEADLINE_MS / 1000),
          };
          const rt = new CliRuntime(
            { ...io, env },
            cmd.optsWithGlobals() as GlobalOptions,
          );
          const cache = new CompletionCache(env);
          const scope = [
            rt.target.url,
            rt.target.contextName ?? '',
            kind,
            options.cluster ?? options.ensemble ?? options.target ?? '',
          ].join('\n');
          let names = cache.get(scope, prefix);
          if (!names) {
            // ...and all of them together too: a lookup may take two requests.
            const deadline = new AbortController();
            const found = await Promise.race([
              lookup(rt, kind as CompletionKind, prefix, options),
              delay(COMPLETION_DEADLINE_MS, undefined, {
                signal: deadline.signal,
              }).catch(() => undefined),
            ]).finally(() => deadline.abort());
            if (!found) return;
            cache.set(scope, prefix, found.names, found.complete);
            names = found.names.filter(n => n.startsWith(prefix));
          }
          if (names.length)
            io.stdout.write(`${[...new Set(names)].sort().join('\n')}\n`);
        } catch {
          // No names: the shell falls back to its default completion.
        }
      },
    );
}
