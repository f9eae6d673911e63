import path from 'node:path';
import { EnvironmentSpec, Heap } from '../lib/environments';
import { commonJvmArgs, javaBinary, jvmMarkers } from '../lib/java';
import { ensureDir } from '../lib/paths';
import {
  findProcessesWithArgs,
  LaunchSpec,
  processHasArgs,
} from '../lib/process';
import { PortName } from '../lib/settings';
import { serviceDir, ServiceName } from '../lib/state';
import { PortPlan, ServiceContext, ServiceDefinition } from './types';

/*
 * What the definitions of ZooKeeper, Kafka, Connect and Marathon share, for
 * every environment: the service's folder in the run folder, the JVM launch
 * line, how its processes are recognised, a one-port plan and the title. A
 * definition keeps only what is its own (config files, main class, probe).
 */

/** A service's title: the bare one for local, naming the environment for another ("Kafka (dr)"). */
export function environmentTitle(env: EnvironmentSpec, title: string): string {
  return env.suffix ? `${title} (${env.name})` : title;
}

/**
 * `<run>/<service>/` and its subfolders by name (`conf`, `data`, `logs`, ...),
 * each `<run>/<service>/<subfolder>`.
 */
export function serviceFolders<K extends string>(
  ctx: ServiceContext,
  name: ServiceName,
  subfolders: readonly K[],
): { base: string } & Record<K, string> {
  const base = serviceDir(ctx.settings.runDir, name);
  const folders = { base } as { base: string } & Record<K, string>;
  for (const sub of subfolders) {
    (folders as Record<K, string>)[sub] = path.join(base, sub);
  }
  return folders;
}

/** {@link serviceFolders}, each subfolder created (config is rewritten on every start; data persists). */
export function createServiceFolders<K extends string>(
  ctx: ServiceContext,
  name: ServiceName,
  subfolders: readonly K[],
): { base: string } & Record<K, string> {
  const folders = serviceFolders(ctx, name, subfolders);
  for (const sub of subfolders) ensureDir(folders[sub]);
  return folders;
}

/** The service's own log, `<run>/<service>/logs/<service>.log`, shown by `status`. */
export function serviceLogFile(ctx: ServiceContext, name: ServiceName): string {
  return path.join(
    serviceDir(ctx.settings.runDir, name),
    'logs',
    `${name}.log`,
  );
}

/**
 * How a JVM service of an environment is launched: the shared JVM flags (heap,
 * the environment's collector and JIT, the markers that name the service and
 * run folder), the service's own system properties, its classpath folder, main
 * class and config file; run in its folder, stdout and stderr to `<service>.out`.
 */
export function jvmLaunch(
  ctx: ServiceContext,
  env: EnvironmentSpec,
  jvm: {
    name: ServiceName;
    heap: Heap;
    systemProperties: string[];
    /** The folder of the classpath's jars. */
    lib: string;
    mainClass: string;
    config: string;
  },
): LaunchSpec {
  const base = serviceDir(ctx.settings.runDir, jvm.name);
  return {
    command: javaBinary(ctx.settings.env),
    args: [
      ...commonJvmArgs(jvm.name, ctx.settings.runDir, jvm.heap, env.jvmTuning),
      ...jvm.systemProperties,
      '-cp',
      path.join(jvm.lib, '*'),
      jvm.mainClass,
      jvm.config,
    ],
    cwd: base,
    outFile: path.join(base, 'logs', `${jvm.name}.out`),
  };
}

/**
 * A service's processes are recognised by markers in their argv (a JVM's
 * `-Darchon.service=` / `-Darchon.runDir=`, Marathon's script and data folder),
 * never by the pid file alone: a pid may have been recycled.
 */
export function processesMarkedBy(
  markers: (ctx: ServiceContext) => string[],
): Pick<ServiceDefinition, 'isOurProcess' | 'findOrphans'> {
  return {
    isOurProcess: (ctx, pid) => processHasArgs(pid, markers(ctx)),
    findOrphans: ctx => findProcessesWithArgs(markers(ctx)),
  };
}

/** A JVM service's processes: those whose argv names it and this run folder (see commonJvmArgs). */
export function jvmProcesses(
  name: ServiceName,
): Pick<ServiceDefinition, 'isOurProcess' | 'findOrphans'> {
  return processesMarkedBy(ctx => jvmMarkers(name, ctx.settings.runDir));
}

/** The plan of a service that binds one port, the port setting `setting`, recorded under `role`. */
export function onePortPlan(
  ctx: ServiceContext,
  setting: PortName,
  role: string,
  label: string,
): PortPlan {
  const port = ctx.settings.ports[setting];
  return {
    port,
    ports: { [role]: port },
    claims: [{ port, label, setting }],
  };
}
