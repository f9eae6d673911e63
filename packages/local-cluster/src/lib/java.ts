import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { ClusterError } from './errors';
import { MIN_JAVA_MAJOR } from './versions';

/** The java binary: $JAVA_HOME/bin/java when JAVA_HOME is set, else `java` from PATH. */
export function javaBinary(env: NodeJS.ProcessEnv = process.env): string {
  return env.JAVA_HOME ? path.join(env.JAVA_HOME, 'bin', 'java') : 'java';
}

let checked: string | undefined;

/** Fails with a one-line hint when Java is missing or older than 17; returns the major version. */
export function assertJava(env: NodeJS.ProcessEnv = process.env): number {
  const bin = javaBinary(env);
  const result = spawnSync(bin, ['-version'], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  if (result.error || result.status !== 0) {
    throw new ClusterError(
      `Java is missing (could not run '${bin}'): install a JDK ${MIN_JAVA_MAJOR} or newer (e.g. apt-get install -y openjdk-17-jdk-headless) or set JAVA_HOME`,
    );
  }
  const text = `${result.stderr}${result.stdout}`;
  const match = text.match(/version "(\d+)(?:\.(\d+))?/);
  // Java 8 and older print "1.8.0_..."
  let major = 0;
  if (match) major = match[1] === '1' ? Number(match[2]) : Number(match[1]);
  if (major && major < MIN_JAVA_MAJOR) {
    throw new ClusterError(
      `Java ${major} is too old: Kafka 4 needs Java ${MIN_JAVA_MAJOR} or newer; install a newer JDK or point JAVA_HOME at one`,
    );
  }
  checked = bin;
  return major;
}

/** Like assertJava, once per process. */
export function assertJavaOnce(env: NodeJS.ProcessEnv = process.env): void {
  if (checked !== javaBinary(env)) assertJava(env);
}

/** The collector flags of the Kafka scripts: G1 with short pauses. */
export const G1_GC = ['-XX:+UseG1GC', '-XX:MaxGCPauseMillis=20'];

/**
 * JVM flags shared by all three services. Small heaps (several JVMs share a
 * 2-core CI box), G1 like the Kafka scripts, headless, IPv4 (everything is on
 * 127.0.0.1), and markers naming the service and run folder so that we can
 * recognise our own processes in /proc without relying on pid files.
 */
export function commonJvmArgs(
  service: string,
  runDir: string,
  heap: { initial: string; max: string },
  gc: string[] = G1_GC,
): string[] {
  return [
    `-Xms${heap.initial}`,
    `-Xmx${heap.max}`,
    ...gc,
    '-XX:+ExitOnOutOfMemoryError',
    '-Djava.awt.headless=true',
    '-Djava.net.preferIPv4Stack=true',
    `-Darchon.service=${service}`,
    `-Darchon.runDir=${runDir}`,
  ];
}

/** Markers in the argv of our JVM for `service` in `runDir` (see commonJvmArgs). */
export function jvmMarkers(service: string, runDir: string): string[] {
  return [`-Darchon.service=${service}`, `-Darchon.runDir=${runDir}`];
}
