import fs from 'node:fs';
import path from 'node:path';
import { AddressInfo } from 'node:net';
import { LocalMarathonOptions, resolveOptions } from './options';
import { AppStore } from './model/AppStore';
import { EventBus } from './events/EventBus';
import { SandboxLayout } from './files/sandboxLayout';
import { Scheduler } from './runtime/Scheduler';
import { HostPortAllocator } from './runtime/HostPortAllocator';
import { reapOrphans, recordProcesses } from './runtime/orphans';
import { AppService } from './core/AppService';
import { VersionClock } from './util/time';
import { Router } from './http/router';
import { createHttpServer } from './http/server';
import { ServerContext } from './http/ServerContext';
import { registerAppRoutes } from './http/appRoutes';
import { registerGroupRoutes } from './http/groupRoutes';
import { registerDeploymentRoutes } from './http/deploymentRoutes';
import { registerTaskRoutes } from './http/taskRoutes';
import { registerQueueRoutes } from './http/queueRoutes';
import { registerMiscRoutes } from './http/miscRoutes';
import { registerEventRoutes } from './http/eventRoutes';
import { registerFileRoutes } from './http/fileRoutes';

export interface LocalMarathon {
  /** Base URL, e.g. `http://127.0.0.1:8080`. */
  url: string;
  port: number;
  dataDir: string;
  /** Stops the HTTP server and kills every task process group. */
  close(): Promise<void>;
}

function isLoopbackOrAny(host: string): boolean {
  return host === '0.0.0.0' || host === '::' || host === '';
}

/** Starts the server: loads stored apps, relaunches their tasks, listens for HTTP. */
export async function startLocalMarathon(
  input: LocalMarathonOptions = {},
): Promise<LocalMarathon> {
  const options = resolveOptions(input);
  fs.mkdirSync(options.dataDir, { recursive: true });
  const processesFile = path.join(options.dataDir, 'processes.json');
  const reaped = reapOrphans(processesFile);
  if (reaped > 0)
    options.log(
      `killed ${reaped} task process groups left over from a previous run`,
    );

  const store = new AppStore(path.join(options.dataDir, 'state.json'));
  store.load();
  const clock = new VersionClock();
  store.allVersionStrings().forEach(version => clock.observe(version));
  clock.observe(store.rootVersion);

  const taskHost = isLoopbackOrAny(options.host) ? '127.0.0.1' : options.host;
  const layout = new SandboxLayout(
    path.join(options.dataDir, 'mesos'),
    store.agentId,
    store.frameworkId,
  );
  const events = new EventBus();
  const scheduler = new Scheduler(
    {
      host: taskHost,
      layout,
      ports: new HostPortAllocator(options.portRange),
      offerIntervalMs: options.offerIntervalMs,
      sandboxRetentionMs: options.sandboxRetentionMs,
      sandboxesPerApp: options.sandboxesPerApp,
      defaultKillGraceMs: options.taskKillGraceMs,
      log: options.log,
      baseEnv: Object.fromEntries(
        Object.entries(process.env).filter(
          (entry): entry is [string, string] => entry[1] !== undefined,
        ),
      ),
    },
    events,
    failure => store.recordTaskFailure(failure),
  );
  const service = new AppService(
    store,
    scheduler,
    events,
    clock,
    taskHost,
    options.deploymentTimeoutMs,
  );

  // Keep a record of running task processes so a crashed server's tasks can be reaped.
  let recordPending = false;
  let closed = false;
  scheduler.onChange(() => {
    if (recordPending || closed) return;
    recordPending = true;
    setTimeout(() => {
      recordPending = false;
      if (closed) return;
      try {
        recordProcesses(processesFile, scheduler.processes());
      } catch (error) {
        options.log(
          `could not record task processes: ${(error as Error).message}`,
        );
      }
    }, 100).unref();
  });

  let leader = `${taskHost}:${options.port}`;
  let httpPort = options.port;
  const openStreams = new Set<() => void>();
  const context: ServerContext = {
    store,
    scheduler,
    service,
    events,
    layout,
    taskHost,
    get leader() {
      return leader;
    },
    get httpPort() {
      return httpPort;
    },
    stepTimeoutMs: options.deploymentTimeoutMs,
    portRange: options.portRange,
    appInfoSources: () => ({
      scheduler,
      deploymentIdsOf: appId => service.deployments.lockingDeployments([appId]),
      lastTaskFailure: appId => store.taskFailure(appId),
      taskContext: { host: taskHost, agentId: layout.agentId },
    }),
  };
  const router = new Router();
  registerMiscRoutes(router, context);
  registerEventRoutes(router, context, openStreams);
  registerAppRoutes(router, context);
  registerGroupRoutes(router, context);
  registerDeploymentRoutes(router, context);
  registerTaskRoutes(router, context);
  registerQueueRoutes(router, context);
  registerFileRoutes(router, context);

  const server = createHttpServer(router, () => leader);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  httpPort = (server.address() as AddressInfo).port;
  leader = `${taskHost}:${httpPort}`;
  service.restore();
  const url = `http://${taskHost}:${httpPort}`;
  options.log(
    `local-marathon listening on ${url} (data dir ${options.dataDir})`,
  );

  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      closed = true;
      service.close();
      for (const closeStream of [...openStreams]) closeStream();
      await scheduler.close();
      recordProcesses(processesFile, []);
      await new Promise<void>(resolve => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    })());

  return { url, port: httpPort, dataDir: options.dataDir, close };
}
