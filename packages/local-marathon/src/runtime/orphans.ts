import fs from 'node:fs';

export interface RecordedProcess {
  pid: number;
  sandboxDir: string;
}

/**
 * Task processes are recorded in `<dataDir>/processes.json` while they run. If the server
 * died without a graceful shutdown, the next start kills the process groups left behind,
 * but only those whose working directory still is the recorded sandbox, so a reused pid
 * of an unrelated process is never touched. (Linux: needs /proc.)
 */
export function reapOrphans(file: string): number {
  if (!fs.existsSync(file)) return 0;
  let reaped = 0;
  try {
    const recorded = JSON.parse(
      fs.readFileSync(file, 'utf8'),
    ) as RecordedProcess[];
    for (const { pid, sandboxDir } of recorded) {
      try {
        const cwd = fs.realpathSync(`/proc/${pid}/cwd`);
        if (cwd !== fs.realpathSync(sandboxDir)) continue;
        process.kill(-pid, 'SIGKILL');
        reaped++;
      } catch {
        // Gone already, or not ours.
      }
    }
  } catch {
    // Unreadable record: nothing to do.
  }
  fs.rmSync(file, { force: true });
  return reaped;
}

export function recordProcesses(
  file: string,
  processes: RecordedProcess[],
): void {
  const temporary = `${file}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(processes));
  fs.renameSync(temporary, file);
}
