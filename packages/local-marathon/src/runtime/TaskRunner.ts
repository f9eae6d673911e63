import fs from 'node:fs';
import { ChildProcess, spawn } from 'node:child_process';

/** How a task ended, in terms of its process. */
export interface ProcessExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** Set when the process could not be started at all (e.g. `args[0]` not found). */
  spawnError?: string;
}

export interface ProcessSpec {
  /** Run through `/bin/sh -c` (an app's `cmd`) ... */
  shell?: string;
  /** ... or executed directly (an app's `args`, as the Mesos command executor does). */
  argv?: string[];
  cwd: string;
  env: Record<string, string>;
  stdoutPath: string;
  stderrPath: string;
}

export function signalName(signal: NodeJS.Signals | null): string {
  const names: Record<string, string> = {
    SIGTERM: 'Terminated',
    SIGKILL: 'Killed',
    SIGINT: 'Interrupt',
    SIGSEGV: 'Segmentation fault',
    SIGABRT: 'Aborted',
    SIGHUP: 'Hangup',
  };
  return signal ? names[signal] ?? signal : 'unknown';
}

/** Sends `signal` to the whole process group; the task may have forked children. */
function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/**
 * Starts task processes in their own process group (detached), with stdout/stderr going
 * to files in the sandbox, and stops them the way the Mesos executor does: SIGTERM to the
 * group, SIGKILL after the kill grace period. When the main process exits, the rest of its
 * group is killed too (Mesos would destroy the container).
 */
export class TaskRunner {
  private readonly running = new Map<number, ChildProcess>();

  start(
    spec: ProcessSpec,
    onExit: (exit: ProcessExit) => void,
  ): Promise<number | undefined> {
    return new Promise(resolve => {
      const out = fs.openSync(spec.stdoutPath, 'a');
      const err = fs.openSync(spec.stderrPath, 'a');
      const [file, args] =
        spec.shell !== undefined
          ? ['/bin/sh', ['-c', spec.shell]]
          : [spec.argv![0], spec.argv!.slice(1)];
      let settled = false;
      let child: ChildProcess;
      try {
        child = spawn(file, args, {
          cwd: spec.cwd,
          env: spec.env,
          detached: true,
          stdio: ['ignore', out, err],
        });
      } catch (error) {
        fs.closeSync(out);
        fs.closeSync(err);
        resolve(undefined);
        onExit({
          code: null,
          signal: null,
          spawnError: (error as Error).message,
        });
        return;
      }
      const closeFiles = () => {
        for (const fd of [out, err]) {
          try {
            fs.closeSync(fd);
          } catch {
            // already closed
          }
        }
      };
      child.once('spawn', () => {
        settled = true;
        closeFiles();
        this.running.set(child.pid!, child);
        resolve(child.pid);
      });
      child.once('error', error => {
        if (settled) return;
        settled = true;
        closeFiles();
        resolve(undefined);
        onExit({ code: null, signal: null, spawnError: error.message });
      });
      child.once('exit', (code, signal) => {
        if (child.pid) {
          this.running.delete(child.pid);
          signalGroup(child.pid, 'SIGKILL');
        }
        onExit({ code, signal });
      });
    });
  }

  /** SIGTERM now, SIGKILL after `gracePeriodMs` if the process is still there. */
  kill(pid: number, gracePeriodMs: number): void {
    const child = this.running.get(pid);
    signalGroup(pid, 'SIGTERM');
    if (!child) return;
    const escalate = setTimeout(
      () => signalGroup(pid, 'SIGKILL'),
      gracePeriodMs,
    );
    escalate.unref();
    child.once('exit', () => clearTimeout(escalate));
  }

  /** Kills every process group we started and waits (bounded) until they are gone. */
  async killAll(gracePeriodMs: number): Promise<void> {
    const children = [...this.running.entries()];
    const exits = children.map(
      ([, child]) =>
        new Promise<void>(resolve => {
          if (child.exitCode !== null || child.signalCode !== null) resolve();
          else child.once('exit', () => resolve());
        }),
    );
    for (const [pid] of children) this.kill(pid, gracePeriodMs);
    await Promise.race([
      Promise.all(exits),
      new Promise(resolve => setTimeout(resolve, gracePeriodMs + 2000).unref()),
    ]);
    for (const [pid] of children) signalGroup(pid, 'SIGKILL');
  }

  get runningPids(): number[] {
    return [...this.running.keys()];
  }
}
