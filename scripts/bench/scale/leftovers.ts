/*
 * The private Marathon stops its tasks when it shuts down; should it die
 * first, its `sleep` tasks would outlive it. They run in the run folder's
 * sandboxes: any process still working there after the cluster is disposed
 * is ours, and its process group is stopped (nothing else is touched).
 */
import { readdirSync, readlinkSync } from 'node:fs';

export function stopLeftovers(runDir: string): number {
  let stopped = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cwd: string;
    try {
      cwd = readlinkSync(`/proc/${entry}/cwd`);
    } catch {
      continue;
    }
    if (cwd !== runDir && !cwd.startsWith(`${runDir}/`)) continue;
    try {
      process.kill(-Number(entry), 'SIGKILL');
      stopped++;
    } catch {
      // not a group leader, or gone meanwhile
    }
  }
  return stopped;
}
