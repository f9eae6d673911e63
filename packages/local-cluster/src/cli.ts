/**
 * archon local cluster CLI.
 *
 *   fetch                                       download the jars into the cache
 *   start [services…] [--foreground] [--with-postgres]
 *   stop [services…]
 *   restart <service>
 *   status [--json]
 *
 * Services: zookeeper, kafka, connect, postgres, marathon, and the second environment's
 * zookeeper-dr, kafka-dr, connect-dr, marathon-dr. Exit status 0 on success, 1 with
 * a one-line message on failure (ARCHON_DEBUG=1 adds the stack).
 */
import {
  clusterStatus,
  interruptStart,
  ServiceStatus,
  startServices,
  stopServices,
  restartServiceByName,
} from './cluster';
import { infoFromState } from './info';
import { ClusterError, describeError } from './lib/errors';
import { ensureArtifacts } from './lib/maven';
import { isProcessAlive, sleep } from './lib/process';
import { resolveSettings } from './lib/settings';
import {
  ALL_SERVICES,
  DEFAULT_SERVICES,
  isServiceName,
  readState,
  ServiceName,
} from './lib/state';

const PROG = 'local-cluster';

const USAGE = `usage: ${PROG} <command> [options]

commands:
  fetch                          download ZooKeeper/Kafka/Connect jars with Maven (cached)
  start [services…]              start (or reuse) services; default: both environments
                                 (zookeeper kafka connect marathon, and each -dr)
      --with-postgres            also start PostgreSQL
      --foreground               stay in the foreground; Ctrl-C stops everything
  stop [services…]               stop services (default: all)
  restart <service>              stop and start one service on the same ports
  status [--json]                state, port, version and log of each service

services: ${ALL_SERVICES.join(', ')}
env: ARCHON_RUN_DIR, ARCHON_CACHE_DIR, ARCHON_ZK_PORT, ARCHON_ZK_ADMIN_PORT, ARCHON_KAFKA_PORT,
     ARCHON_KAFKA_CONTROLLER_PORT, ARCHON_CONNECT_PORT, ARCHON_PG_PORT, ARCHON_MARATHON_PORT,
     ARCHON_DR_ZK_PORT, ARCHON_DR_ZK_ADMIN_PORT, ARCHON_DR_KAFKA_PORT,
     ARCHON_DR_KAFKA_CONTROLLER_PORT, ARCHON_DR_CONNECT_PORT, ARCHON_DR_MARATHON_PORT,
     ARCHON_KAFKA_HEAP, ARCHON_DR_KAFKA_HEAP, ARCHON_MAVEN_ARGS`;

interface Parsed {
  command: string;
  services: ServiceName[];
  flags: Set<string>;
}

function parse(argv: string[]): Parsed {
  const [command = 'help', ...rest] = argv;
  const flags = new Set<string>();
  const services: ServiceName[] = [];
  const known = new Set([
    '--foreground',
    '--with-postgres',
    '--json',
    '--force',
    '--help',
    '-h',
  ]);
  for (const arg of rest) {
    if (arg.startsWith('-')) {
      if (!known.has(arg))
        throw new ClusterError(`unknown option ${arg} (see '${PROG} help')`);
      flags.add(arg);
    } else if (isServiceName(arg)) {
      services.push(arg);
    } else {
      throw new ClusterError(
        `unknown service '${arg}'; services are ${ALL_SERVICES.join(', ')}`,
      );
    }
  }
  return { command, services, flags };
}

const log = (line: string) => process.stderr.write(`${line}\n`);

function table(rows: ServiceStatus[]): string {
  const header = ['SERVICE', 'STATE', 'PID', 'PORT', 'VERSION', 'LOG'];
  const cells = rows.map(r => [
    r.name,
    r.state,
    r.pid ? String(r.pid) : '-',
    String(r.port),
    r.version ?? '-',
    r.logFile,
  ]);
  const widths = header.map((h, i) =>
    Math.max(h.length, ...cells.map(c => c[i].length)),
  );
  const fmt = (cols: string[]) =>
    cols
      .map((c, i) => (i === cols.length - 1 ? c : c.padEnd(widths[i])))
      .join('  ');
  const notes = rows.filter(r => r.detail).map(r => `  ${r.name}: ${r.detail}`);
  return [
    fmt(header),
    ...cells.map(fmt),
    ...(notes.length ? ['', ...notes] : []),
  ].join('\n');
}

function printConnectionInfo() {
  const settings = resolveSettings();
  const state = readState(settings.runDir, settings.cacheDir);
  const info = infoFromState(state);
  const pg = state.services.postgres;
  const lines: string[] = [];
  if (info) {
    lines.push(
      `ZooKeeper  ${info.zookeeper.connectionString}  (AdminServer http://127.0.0.1:${info.zookeeper.adminPort}/commands)`,
      `Kafka      ${info.kafka.brokers.join(',')}`,
      `Connect    ${info.connect.url}`,
    );
    if (info.marathon) lines.push(`Marathon   ${info.marathon.url}`);
    const dr = info.dr;
    if (dr) {
      lines.push(
        `dr ZooKeeper  ${dr.zookeeper.connectionString}`,
        `dr Kafka      ${dr.kafka.brokers.join(',')}`,
        `dr Connect    ${dr.connect.url}`,
      );
      if (dr.marathon) lines.push(`dr Marathon   ${dr.marathon.url}`);
    }
  }
  if (pg && isProcessAlive(pg.pid))
    lines.push(
      `PostgreSQL postgresql://postgres@127.0.0.1:${pg.port}/postgres`,
    );
  lines.push(`run folder ${settings.runDir}`);
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function foreground(services: ServiceName[]): Promise<never> {
  log('running in the foreground; press Ctrl-C to stop the cluster');
  let stopping = false;
  const stopAll = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log(`${signal}: stopping the cluster…`);
    try {
      await stopServices([], { log });
      process.exit(0);
    } catch (error) {
      log(`${PROG}: ${describeError(error)}`);
      process.exit(1);
    }
  };
  process.on('SIGINT', () => void stopAll('SIGINT'));
  process.on('SIGTERM', () => void stopAll('SIGTERM'));
  process.on('SIGHUP', () => void stopAll('SIGHUP'));
  // Report crashes while we wait.
  const settings = resolveSettings();
  const reported = new Set<string>();
  for (;;) {
    await sleep(2000);
    if (stopping) continue;
    const state = readState(settings.runDir, settings.cacheDir);
    for (const name of services) {
      const record = state.services[name];
      if (
        record &&
        !isProcessAlive(record.pid) &&
        !reported.has(`${name}:${record.pid}`)
      ) {
        reported.add(`${name}:${record.pid}`);
        log(`${name} (pid ${record.pid}) exited; see ${record.logFile}`);
      }
    }
  }
}

async function main(argv: string[]): Promise<number> {
  const { command, services, flags } = parse(argv);
  if (
    flags.has('--help') ||
    flags.has('-h') ||
    command === 'help' ||
    command === '--help' ||
    command === '-h'
  ) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  switch (command) {
    case 'fetch': {
      const artifacts = await ensureArtifacts(resolveSettings({ log }), {
        force: flags.has('--force'),
      });
      process.stdout.write(`jars are in ${artifacts.cacheDir}\n`);
      return 0;
    }
    case 'start': {
      const started = Date.now();
      const names: ServiceName[] = services.length
        ? [...services]
        : [...DEFAULT_SERVICES];
      if (flags.has('--with-postgres') && !names.includes('postgres'))
        names.push('postgres');
      if (flags.has('--foreground')) {
        // Ctrl-C during start-up: stop what is up so far, then exit.
        let interrupting = false;
        const early = () => {
          interrupting = true;
          log('interrupted: stopping the cluster…');
          interruptStart({ log }).finally(() => process.exit(130));
        };
        process.once('SIGINT', early);
        process.once('SIGTERM', early);
        try {
          await startServices(names, { log });
        } catch (error) {
          // The interrupt handler is stopping everything and exits with 130.
          if (interrupting) await new Promise(() => {});
          // The foreground session owns the cluster: do not leave half of it behind.
          await stopServices([], { log }).catch(() => {});
          throw error;
        }
        process.removeListener('SIGINT', early);
        process.removeListener('SIGTERM', early);
      } else {
        await startServices(names, { log });
      }
      log(`cluster ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      printConnectionInfo();
      if (flags.has('--foreground')) await foreground(names);
      return 0;
    }
    case 'stop': {
      await stopServices(services, { log });
      return 0;
    }
    case 'restart': {
      if (services.length !== 1)
        throw new ClusterError(`usage: ${PROG} restart <service>`);
      const result = await restartServiceByName(services[0], { log });
      log(
        `${result.name}: healthy again on 127.0.0.1:${result.record.port} (pid ${result.record.pid})`,
      );
      return 0;
    }
    case 'status': {
      const rows = await clusterStatus();
      if (flags.has('--json'))
        process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
      else process.stdout.write(`${table(rows)}\n`);
      return 0;
    }
    default:
      throw new ClusterError(
        `unknown command '${command}' (commands: fetch, start, stop, restart, status)`,
      );
  }
}

main(process.argv.slice(2)).then(
  code => process.exit(code),
  error => {
    const message = describeError(error);
    process.stderr.write(`${PROG}: ${message}\n`);
    if (process.env.ARCHON_DEBUG && error instanceof Error && error.stack) {
      process.stderr.write(`${error.stack}\n`);
    }
    process.exit(1);
  },
);
