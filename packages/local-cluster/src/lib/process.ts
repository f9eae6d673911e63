import { spawn, SpawnOptions } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ensureDir } from './paths';

export const sleep = (ms: number) =>
  new Promise<void>(resolve => setTimeout(resolve, ms));

/** How to launch one long-running service process. */
export interface LaunchSpec {
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** stdout and stderr both go here (appended), so a crash before logging is set up is still visible. */
  outFile: string;
  /** Run as this user (used to run PostgreSQL as `postgres` when we are root). */
  uid?: number;
  gid?: number;
}

/**
 * Starts a service in its own session and process group (setsid via
 * `detached`), with no link to our stdio, and lets this Node process exit
 * without waiting for it. The group id equals the pid, so `stop` can signal the
 * whole group (the JVM, or postgres and its backends) in one go.
 */
export function spawnDetached(spec: LaunchSpec): { pid: number; pgid: number } {
  ensureDir(path.dirname(spec.outFile));
  const out = fs.openSync(spec.outFile, 'a');
  try {
    const options: SpawnOptions = {
      cwd: spec.cwd,
      env: spec.env ?? process.env,
      detached: true,
      stdio: ['ignore', out, out],
    };
    if (spec.uid !== undefined) options.uid = spec.uid;
    if (spec.gid !== undefined) options.gid = spec.gid;
    const child = spawn(spec.command, spec.args, options);
    // A failed exec (ENOENT) is reported asynchronously; the health wait notices the dead pid.
    child.on('error', () => {});
    child.unref();
    if (!child.pid) {
      throw new Error(`could not start ${spec.command}`);
    }
    return { pid: child.pid, pgid: child.pid };
  } finally {
    fs.closeSync(out);
  }
}

/** The process state letter from /proc (R, S, Z, ...), or undefined off Linux / when gone. */
function procState(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may contain spaces: the state follows the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
  } catch {
    return undefined;
  }
}

/** True when pid is a live process (a zombie waiting to be reaped counts as dead). */
export function isProcessAlive(pid: number | undefined): boolean {
  if (!pid || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  return procState(pid) !== 'Z';
}

/** True while any process of the group is alive. */
export function isGroupAlive(pgid: number | undefined): boolean {
  if (!pgid || pgid <= 1) return false;
  try {
    process.kill(-pgid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  // kill(-pgid, 0) also succeeds while only zombies are left; the leader is what we track.
  return (
    isProcessAlive(pgid) ||
    groupMembers(pgid).some(pid => procState(pid) !== 'Z')
  );
}

/** The argv of a process (Linux /proc), or undefined when unknown. */
export function processArgs(pid: number): string[] | undefined {
  try {
    const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter(Boolean);
  } catch {
    return undefined;
  }
}

const HAS_PROC = fs.existsSync('/proc/self/cmdline');

/**
 * Whether process `pid` carries every marker in its argv. Where /proc does not
 * exist (macOS) we cannot tell and trust the pid file; a pid that is gone never
 * matches.
 */
export function processHasArgs(pid: number, markers: string[]): boolean {
  if (!HAS_PROC) return isProcessAlive(pid);
  const args = processArgs(pid);
  return !!args && markers.every(m => args.includes(m));
}

function listPids(): number[] {
  try {
    return fs
      .readdirSync('/proc')
      .filter(name => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return [];
  }
}

function groupMembers(pgid: number): number[] {
  return listPids().filter(pid => {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return Number(fields[2]) === pgid; // state, ppid, pgrp
    } catch {
      return false;
    }
  });
}

/**
 * Live processes whose argv contains every one of `markers` as a whole
 * argument. Every service we launch carries markers naming the service and the
 * run folder, so this finds our own processes when their pid file is lost, and
 * never anybody else's.
 */
export function findProcessesWithArgs(markers: string[]): number[] {
  return listPids().filter(pid => {
    if (pid === process.pid) return false;
    const args = processArgs(pid);
    return (
      !!args && markers.every(m => args.includes(m)) && isProcessAlive(pid)
    );
  });
}

/**
 * Stops a process group: `signal` first (SIGTERM lets the JVMs run their
 * shutdown hooks; PostgreSQL wants SIGINT for a fast shutdown), then SIGKILL if
 * it is still there after `timeoutMs`. Resolves once the group is gone.
 */
export async function stopProcessGroup(
  pgid: number,
  options: { signal?: NodeJS.Signals; timeoutMs?: number } = {},
): Promise<'stopped' | 'killed' | 'not-running'> {
  const { signal = 'SIGTERM', timeoutMs = 20_000 } = options;
  if (!isGroupAlive(pgid)) return 'not-running';
  const send = (sig: NodeJS.Signals) => {
    try {
      process.kill(-pgid, sig);
    } catch {
      // Already gone.
    }
  };
  send(signal);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isGroupAlive(pgid)) return 'stopped';
    await sleep(100);
  }
  send('SIGKILL');
  const killDeadline = Date.now() + 10_000;
  while (Date.now() < killDeadline && isGroupAlive(pgid)) {
    await sleep(100);
  }
  return 'killed';
}

/**
 * Runs a short command to completion (storage format, initdb, mvn, apt-get),
 * output appended to `logFile`. Resolves with the exit code (-1 when it could not
 * start, e.g. ENOENT; 'timeout' kills it).
 */
export function runToCompletion(
  command: string,
  args: string[],
  options: {
    logFile: string;
    cwd?: string;
    env?: NodeJS.ProcessEnv;
    uid?: number;
    gid?: number;
    timeoutMs?: number;
  },
): Promise<{ code: number; error?: string }> {
  ensureDir(path.dirname(options.logFile));
  const out = fs.openSync(options.logFile, 'a');
  fs.writeSync(out, `\n$ ${command} ${args.join(' ')}\n`);
  return new Promise(resolve => {
    let settled = false;
    // Set below; a holder object because `finish` and the timer refer to each other.
    const pending: { timer?: NodeJS.Timeout } = {};
    const finish = (result: { code: number; error?: string }) => {
      if (settled) return;
      settled = true;
      clearTimeout(pending.timer);
      fs.closeSync(out);
      resolve(result);
    };
    const spawnOptions: SpawnOptions = {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['ignore', out, out],
      detached: true, // own group, so a timeout can kill its children too
    };
    if (options.uid !== undefined) spawnOptions.uid = options.uid;
    if (options.gid !== undefined) spawnOptions.gid = options.gid;
    const child = spawn(command, args, spawnOptions);
    pending.timer = setTimeout(() => {
      if (child.pid) {
        try {
          process.kill(-child.pid, 'SIGKILL');
        } catch {
          // gone
        }
      }
      finish({ code: -1, error: `timed out after ${options.timeoutMs} ms` });
    }, options.timeoutMs ?? 10 * 60_000);
    child.on('error', error => finish({ code: -1, error: error.message }));
    child.on('exit', (code, signal) =>
      finish({
        code: code ?? -1,
        error: signal ? `killed by ${signal}` : undefined,
      }),
    );
  });
}

/** Size of a file in bytes (0 when missing): where a service's output for this start begins. */
export function fileSize(file: string): number {
  try {
    return fs.statSync(file).size;
  } catch {
    return 0;
  }
}

/**
 * The last line that looks like an error in a log file, looking only at what
 * was written after byte `from` (logs are appended across restarts), for
 * one-line failure messages.
 */
export function lastErrorLine(file: string, from = 0): string | undefined {
  let text: string;
  try {
    const fd = fs.openSync(file, 'r');
    try {
      const size = fs.fstatSync(fd).size;
      const start = Math.max(from, size - 64 * 1024);
      const length = Math.max(0, size - start);
      const buffer = Buffer.alloc(length);
      fs.readSync(fd, buffer, 0, length, start);
      text = buffer.toString('utf8');
    } finally {
      fs.closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const lines = text.split('\n').map(l => l.trim());
  const interesting = lines.filter(l =>
    /\b(ERROR|FATAL|PANIC)\b|Exception|Error:|error:/.test(l),
  );
  const line = interesting.pop();
  if (!line) return undefined;
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}
