import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ClusterError } from '../lib/errors';
import { ensureDir } from '../lib/paths';
import { LOOPBACK } from '../lib/ports';
import {
  findProcessesWithArgs,
  lastErrorLine,
  processHasArgs,
  runToCompletion,
} from '../lib/process';
import { pgIsReady } from '../lib/probes';
import { serviceDir } from '../lib/state';
import { ServiceContext, ServiceDefinition } from './types';

/**
 * A private PostgreSQL for tests, from the Debian package: its own data folder in
 * the run folder, trust auth on 127.0.0.1 only, and durability switched off
 * (fsync etc.) because it only ever holds throw-away test data.
 */

const PG_ROOT = '/usr/lib/postgresql';

interface PgInstall {
  bin: string;
  major: number;
}

/** The newest /usr/lib/postgresql/<major>/bin holding initdb, if any. */
export function findPgInstall(): PgInstall | undefined {
  let majors: number[];
  try {
    majors = fs
      .readdirSync(PG_ROOT)
      .filter(name => /^\d+$/.test(name))
      .map(Number)
      .sort((a, b) => b - a);
  } catch {
    return undefined;
  }
  for (const major of majors) {
    const bin = path.join(PG_ROOT, String(major), 'bin');
    if (
      fs.existsSync(path.join(bin, 'initdb')) &&
      fs.existsSync(path.join(bin, 'postgres'))
    ) {
      return { bin, major };
    }
  }
  return undefined;
}

let aptUpdated = false;

/**
 * CI machines are fresh: install the Debian package when it is missing. Only
 * root can; anyone else gets a one-line instruction.
 */
async function ensurePgInstalled(
  ctx: ServiceContext,
  logFile: string,
): Promise<PgInstall> {
  const found = findPgInstall();
  if (found) return found;
  if (process.getuid?.() !== 0) {
    throw new ClusterError(
      'PostgreSQL is not installed: run `sudo apt-get install -y postgresql` (or start without postgres)',
    );
  }
  const env = { ...ctx.settings.env, DEBIAN_FRONTEND: 'noninteractive' };
  ctx.settings.log(
    'postgres: installing the Debian postgresql package (first time only)…',
  );
  if (!aptUpdated) {
    const update = await runToCompletion('apt-get', ['update'], {
      logFile,
      env,
      timeoutMs: 10 * 60_000,
    });
    if (update.code !== 0) {
      throw new ClusterError(
        `apt-get update failed (${
          update.error ?? `exit code ${update.code}`
        }); see ${logFile}`,
      );
    }
    aptUpdated = true;
  }
  const install = await runToCompletion(
    'apt-get',
    ['install', '-y', '--no-install-recommends', 'postgresql'],
    {
      logFile,
      env,
      timeoutMs: 15 * 60_000,
    },
  );
  const pg = findPgInstall();
  if (install.code !== 0 || !pg) {
    throw new ClusterError(
      `installing PostgreSQL with apt-get failed (${
        install.error ?? `exit code ${install.code}`
      }); see ${logFile}, or install it yourself: apt-get install -y postgresql`,
    );
  }
  return pg;
}

interface OsUser {
  uid: number;
  gid: number;
}

/**
 * initdb and postgres refuse to run as root. As root we run them as the
 * `postgres` OS user (created by the Debian package); as anyone else, as
 * ourselves.
 */
function pgOsUser(): OsUser | undefined {
  if (process.getuid?.() !== 0) return undefined;
  const passwd = fs.readFileSync('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find(l => l.startsWith('postgres:'));
  if (!line) {
    throw new ClusterError(
      'the postgres OS user is missing (it comes with the postgresql package): run apt-get install --reinstall postgresql-common',
    );
  }
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

/** The postgres user must be able to walk down to the run folder (every parent needs x). */
function assertTraversable(dir: string, user: OsUser): void {
  let current = path.resolve(dir);
  for (;;) {
    const st = fs.statSync(current);
    let bit = 0o001; // others
    if (st.uid === user.uid) bit = 0o100;
    else if (st.gid === user.gid) bit = 0o010;
    if ((st.mode & bit) === 0) {
      throw new ClusterError(
        `the postgres OS user cannot enter ${current}; set ARCHON_RUN_DIR to a folder it can reach (e.g. under /tmp) or chmod o+x ${current}`,
      );
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

function dirs(ctx: ServiceContext) {
  const base = serviceDir(ctx.settings.runDir, 'postgres');
  return {
    base,
    data: path.join(base, 'data'),
    socket: path.join(base, 'socket'),
    logs: path.join(base, 'logs'),
  };
}

/** A folder owned by the postgres user (when we are root). */
function ownedDir(dir: string, user: OsUser | undefined, mode: number): void {
  ensureDir(dir, mode);
  if (user) fs.chownSync(dir, user.uid, user.gid);
  fs.chmodSync(dir, mode);
}

export function postgresConnectionString(port: number): string {
  return `postgresql://postgres@${LOOPBACK}:${port}/postgres`;
}

const PG_HBA = `# Generated by @archon/local-cluster: trust, but only over the private socket
# folder in the run folder and from 127.0.0.1.
local   all all              trust
host    all all 127.0.0.1/32 trust
`;

let cachedVersion: string | undefined;

function pgVersion(): string | undefined {
  if (cachedVersion) return cachedVersion;
  const pg = findPgInstall();
  if (!pg) return undefined;
  const out = spawnSync(path.join(pg.bin, 'postgres'), ['--version'], {
    encoding: 'utf8',
  });
  // "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)"
  cachedVersion = out.stdout?.match(/\)\s+(\d+(?:\.\d+)*)/)?.[1];
  return cachedVersion;
}

export const postgresService: ServiceDefinition = {
  name: 'postgres',
  title: 'PostgreSQL',
  dependsOn: [],
  usesJars: false,
  startTimeoutMs: 60_000,
  stopTimeoutMs: 20_000,
  // SIGTERM would be a "smart" shutdown that waits for clients to disconnect.
  stopSignal: 'SIGINT',

  async planPorts(ctx) {
    const port = ctx.settings.ports.postgres;
    return {
      port,
      ports: { postgres: port },
      claims: [{ port, label: 'PostgreSQL port', setting: 'postgres' }],
    };
  },

  async prepare(ctx, plan) {
    const d = dirs(ctx);
    ensureDir(d.logs);
    const pg = await ensurePgInstalled(ctx, path.join(d.logs, 'apt.log'));
    const user = pgOsUser();
    if (user) assertTraversable(d.base, user);
    ownedDir(d.base, user, 0o755);
    ownedDir(d.socket, user, 0o700);

    if (!fs.existsSync(path.join(d.data, 'PG_VERSION'))) {
      ctx.settings.log('postgres: initdb (first start)…');
      fs.rmSync(d.data, { recursive: true, force: true });
      ownedDir(d.data, user, 0o700);
      const initLog = path.join(d.logs, 'initdb.log');
      const result = await runToCompletion(
        path.join(pg.bin, 'initdb'),
        [
          '-D',
          d.data,
          '-U',
          'postgres',
          '--auth=trust',
          '--encoding=UTF8',
          '--locale=C',
          '--no-sync',
        ],
        {
          logFile: initLog,
          cwd: d.base,
          uid: user?.uid,
          gid: user?.gid,
          env: { ...ctx.settings.env, LC_ALL: 'C' },
        },
      );
      if (result.code !== 0) {
        const why = lastErrorLine(initLog);
        throw new ClusterError(
          `postgres: initdb failed${why ? `: ${why}` : ''}; see ${initLog}`,
        );
      }
      // Overwriting keeps the file's owner (postgres).
      fs.writeFileSync(path.join(d.data, 'pg_hba.conf'), PG_HBA);
    }

    return {
      command: path.join(pg.bin, 'postgres'),
      args: [
        '-D',
        d.data,
        '-c',
        `port=${plan.port}`,
        '-c',
        `listen_addresses=${LOOPBACK}`,
        '-c',
        `unix_socket_directories=${d.socket}`,
        '-c',
        'max_connections=200',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
        '-c',
        'logging_collector=off',
      ],
      cwd: d.base,
      env: { ...ctx.settings.env, LC_ALL: 'C' },
      outFile: path.join(d.logs, 'postgres.log'),
      uid: user?.uid,
      gid: user?.gid,
    };
  },

  async probe(_ctx, record, timeoutMs) {
    const pg = findPgInstall();
    if (!pg) throw new Error('PostgreSQL is not installed');
    await pgIsReady(
      path.join(pg.bin, 'pg_isready'),
      LOOPBACK,
      record.port,
      timeoutMs,
    );
    return { version: pgVersion() };
  },

  isOurProcess(ctx, pid) {
    return processHasArgs(pid, [dirs(ctx).data]);
  },

  findOrphans(ctx) {
    // Only the postmaster has `-D <data>` in its argv; backends rename themselves.
    return findProcessesWithArgs(['-D', dirs(ctx).data]);
  },

  logFile: ctx => path.join(dirs(ctx).logs, 'postgres.log'),
  knownVersion: () => pgVersion(),
};
