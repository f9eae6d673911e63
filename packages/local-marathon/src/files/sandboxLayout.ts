import fs from 'node:fs';
import path from 'node:path';

/**
 * Task sandboxes use the Mesos agent's directory layout, so a client can locate them the
 * way it would on a cluster:
 *
 *   <workDir>/slaves/<agentId>/frameworks/<frameworkId>/executors/<executorId>/runs/<containerId>
 *
 * with `runs/latest` a symlink to the newest run. As with the Mesos command executor, the
 * executor id equals the task id. Each run directory holds the task's `stdout` and `stderr`.
 */
export class SandboxLayout {
  constructor(
    readonly workDir: string,
    readonly agentId: string,
    readonly frameworkId: string,
  ) {}

  get frameworkDir(): string {
    return path.join(
      this.workDir,
      'slaves',
      this.agentId,
      'frameworks',
      this.frameworkId,
    );
  }

  executorDir(taskId: string): string {
    return path.join(this.frameworkDir, 'executors', taskId);
  }

  runDir(taskId: string, containerId: string): string {
    return path.join(this.executorDir(taskId), 'runs', containerId);
  }

  latestDir(taskId: string): string {
    return path.join(this.executorDir(taskId), 'runs', 'latest');
  }

  /** Creates the run directory with empty stdout/stderr and points `runs/latest` at it. */
  create(taskId: string, containerId: string): string {
    const dir = this.runDir(taskId, containerId);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'stdout'), '');
    fs.writeFileSync(path.join(dir, 'stderr'), '');
    const latest = this.latestDir(taskId);
    fs.rmSync(latest, { force: true });
    fs.symlinkSync(containerId, latest);
    return dir;
  }

  /** True if `candidate` (after resolving `..`) lies inside the agent work dir. */
  contains(candidate: string): boolean {
    const resolved = path.resolve(candidate);
    const root = path.resolve(this.workDir);
    return resolved === root || resolved.startsWith(`${root}${path.sep}`);
  }
}
