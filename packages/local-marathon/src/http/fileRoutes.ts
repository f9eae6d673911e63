import fs from 'node:fs';
import path from 'node:path';
import { SandboxFiles } from '../files/SandboxFiles';
import { isActive, Task } from '../runtime/Task';
import { RouteResult, Router } from './router';
import { ServerContext } from './ServerContext';

function failure(status: number, message: string): RouteResult {
  return { status, text: message, contentType: 'text/plain; charset=utf-8' };
}

/**
 * The Mesos agent endpoints archon uses to read task logs: /files/browse, /files/read,
 * /files/download, and a minimal agent /state (also at /slave(1)/state) listing the
 * executors with their sandbox `directory`, which is how clients find sandboxes on a
 * real cluster.
 */
export function registerFileRoutes(
  router: Router,
  server: ServerContext,
): void {
  const files = new SandboxFiles(server.layout);

  const renderMesosTask = (task: Task) => ({
    id: task.taskId,
    name: task.appId.replace(/^\//, '').split('/').reverse().join('.'),
    framework_id: server.layout.frameworkId,
    executor_id: '',
    slave_id: server.layout.agentId,
    state: task.state,
    // Mesos keeps a task's status updates; the last one carries the executor's message.
    statuses: [
      {
        state: task.state,
        timestamp:
          Date.parse(task.finishedAt ?? task.startedAt ?? task.stagedAt) / 1000,
        ...(task.message ? { message: task.message } : {}),
      },
    ],
    resources: {
      cpus: task.app.cpus,
      mem: task.app.mem,
      disk: task.app.disk,
      gpus: task.app.gpus,
      ...(task.hostPorts.length > 0
        ? { ports: `[${task.hostPorts.map(p => `${p}-${p}`).join(', ')}]` }
        : {}),
    },
  });

  const renderExecutor = (task: Task) => ({
    id: task.taskId,
    name: `Command Executor (Task: ${task.taskId}) (Command: sh -c '${
      task.app.cmd ?? (task.app.args ?? []).join(' ')
    }')`,
    source: task.taskId,
    container: task.containerId,
    directory: task.sandboxDir,
    tasks: isActive(task) ? [renderMesosTask(task)] : [],
    completed_tasks: isActive(task) ? [] : [renderMesosTask(task)],
    queued_tasks: [],
  });

  const agentState = (): RouteResult => {
    const live = server.scheduler.allTasks();
    const ended = server.scheduler
      .recentlyTerminated()
      .filter(t => fs.existsSync(t.sandboxDir));
    return {
      status: 200,
      body: {
        id: server.layout.agentId,
        hostname: server.taskHost,
        pid: `slave(1)@${server.leader}`,
        version: '1.11.0',
        flags: { work_dir: server.layout.workDir },
        frameworks: [
          {
            id: server.layout.frameworkId,
            name: 'marathon',
            hostname: server.taskHost,
            executors: live.map(renderExecutor),
            completed_executors: ended.map(renderExecutor),
          },
        ],
        completed_frameworks: [],
      },
    };
  };

  router
    .add('GET', /^\/files\/browse(?:\.json)?\/?$/, context => {
      const result = files.browse(context.query.get('path'));
      return result.ok
        ? { status: 200, body: result.value }
        : failure(result.status, result.message);
    })
    .add('GET', /^\/files\/read(?:\.json)?\/?$/, context => {
      const result = files.read(
        context.query.get('path'),
        context.query.get('offset'),
        context.query.get('length'),
      );
      return result.ok
        ? { status: 200, body: result.value }
        : failure(result.status, result.message);
    })
    .add('GET', /^\/files\/download(?:\.json)?\/?$/, context => {
      const result = files.download(context.query.get('path'));
      if (!result.ok) return failure(result.status, result.message);
      const { res } = context;
      res.writeHead(200, {
        'Content-Type': 'application/octet-stream',
        'Content-Disposition': `attachment; filename=${path.basename(
          result.value.file,
        )}`,
      });
      fs.createReadStream(result.value.file).pipe(res);
      return 'handled';
    })
    .add('GET', /^\/(?:slave\(1\)\/)?state(?:\.json)?\/?$/, agentState);
}
