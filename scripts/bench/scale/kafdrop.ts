/*
 * Kafdrop as a peer: its source at a pinned commit, kafdrop.patch applied
 * (Confluent's three schema-registry packages are only on Confluent's own
 * repository: the patch drops them, names kafka-clients and the JetBrains
 * annotations they brought, and replaces the three serde classes by stubs
 * that throw when used; listing topics never uses them), built once with
 * Maven and a Java 25 into the cluster cache, run against the private
 * cluster. Any step that cannot work here returns the reason, printed
 * instead of its figures.
 */
import { spawn, spawnSync } from 'node:child_process';
import {
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
} from 'node:fs';
import { join } from 'node:path';
import { waitFor } from '@archon/local-cluster/testing';
import { stopProcessGroup } from '../../../packages/local-cluster/src/lib/process';
import type { Timed } from './floors';

export const KAFDROP_COMMIT = 'dd68ef732cc6e940ddeab84c43ccfa21265efedd';
const KAFDROP_REPO = 'https://github.com/obsidiandynamics/kafdrop.git';

export interface KafdropFigures {
  topicJsonCold: Timed;
  topicJsonWarm: Timed;
  indexPage: Timed;
}

/** A Java 25 (Kafdrop 4.2 needs it): ARCHON_KAFDROP_JAVA_HOME, else a JDK 25 under /usr/lib/jvm. */
function java25(): string | undefined {
  if (process.env.ARCHON_KAFDROP_JAVA_HOME)
    return process.env.ARCHON_KAFDROP_JAVA_HOME;
  const jvm = '/usr/lib/jvm';
  if (!existsSync(jvm)) return undefined;
  const found = readdirSync(jvm).find(d => /(^|-)25([.-]|$)/.test(d));
  return found && join(jvm, found);
}

/**
 * The source at KAFDROP_COMMIT: from ARCHON_KAFDROP_GIT (a clone or mirror,
 * e.g. one already on the machine), else cloned from GitHub.
 */
function checkout(dir: string, log: string): string | undefined {
  let git = process.env.ARCHON_KAFDROP_GIT;
  if (!git) {
    git = join(dir, 'kafdrop.git');
    if (!existsSync(git)) {
      const clone = spawnSync(
        'git',
        ['clone', '--bare', '-q', KAFDROP_REPO, git],
        {
          stdio: 'ignore',
        },
      );
      if (clone.status !== 0)
        return `git clone ${KAFDROP_REPO} failed (set ARCHON_KAFDROP_GIT to a local clone)`;
    }
  }
  const src = join(dir, 'src');
  rmSync(src, { recursive: true, force: true });
  mkdirSync(src, { recursive: true });
  const archive = spawnSync(
    'bash',
    [
      '-c',
      'git --git-dir="$1" archive "$2" | tar x -C "$3" && cd "$3" && patch -s -p1 < "$4"',
      'kafdrop-src',
      git,
      KAFDROP_COMMIT,
      src,
      join(__dirname, 'kafdrop.patch'),
    ],
    { stdio: ['ignore', openSync(log, 'a'), 'pipe'] },
  );
  return archive.status === 0
    ? undefined
    : `extracting commit ${KAFDROP_COMMIT} from ${git} and applying kafdrop.patch failed: ${archive.stderr}`;
}

/** The built jar, from the cache or built now; or why it cannot be. */
export function kafdropJar(cacheDir: string): {
  jar?: string;
  reason?: string;
} {
  const dir = join(cacheDir, 'bench', `kafdrop-${KAFDROP_COMMIT.slice(0, 12)}`);
  const jarOf = () =>
    existsSync(join(dir, 'src', 'target'))
      ? readdirSync(join(dir, 'src', 'target'))
          .filter(f => /^kafdrop-.*\.jar$/.test(f))
          .map(f => join(dir, 'src', 'target', f))[0]
      : undefined;
  const cached = jarOf();
  if (cached) return { jar: cached };
  const javaHome = java25();
  if (!javaHome)
    return { reason: 'no Java 25 found (ARCHON_KAFDROP_JAVA_HOME)' };
  mkdirSync(dir, { recursive: true });
  const log = join(dir, 'build.log');
  const failed = checkout(dir, log);
  if (failed) return { reason: failed };
  const build = spawnSync(
    process.env.ARCHON_MVN ?? 'mvn',
    ['-B', '-q', '-DskipTests', '-Ddocker.skip=true', 'package'],
    {
      cwd: join(dir, 'src'),
      env: { ...process.env, JAVA_HOME: javaHome },
      stdio: ['ignore', openSync(log, 'a'), openSync(log, 'a')],
    },
  );
  const jar = jarOf();
  return jar
    ? { jar }
    : { reason: `the Maven build failed (exit ${build.status}); see ${log}` };
}

async function time(url: string, accept: string): Promise<Timed> {
  const started = performance.now();
  const res = await fetch(url, {
    headers: { accept },
    signal: AbortSignal.timeout(300_000),
  });
  const body = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status}`);
  const topics = accept.includes('json')
    ? `${JSON.parse(body).length} topics, `
    : '';
  return {
    ms: performance.now() - started,
    note: `${topics}${(body.length / 1048576).toFixed(1)} MiB`,
  };
}

/** Starts Kafdrop on `port` against `broker`, times its topic list, stops it. */
export async function kafdropFigures(options: {
  jar: string;
  broker: string;
  port: number;
  /** Its Spring management (health) port; 9000 unless told, which may be taken. */
  managementPort: number;
  logFile: string;
}): Promise<KafdropFigures> {
  const javaHome = java25()!;
  const out = createWriteStream(options.logFile);
  const child = spawn(
    join(javaHome, 'bin', 'java'),
    [
      '-Xmx1g',
      '-jar',
      options.jar,
      `--kafka.brokerConnect=${options.broker}`,
      `--server.port=${options.port}`,
      `--management.server.port=${options.managementPort}`,
    ],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  child.stdout.pipe(out);
  child.stderr.pipe(out);
  const base = `http://127.0.0.1:${options.port}`;
  const health = `http://127.0.0.1:${options.managementPort}`;
  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error('it exited');
        // Spring's health endpoint: up without touching Kafka's topic list.
        return (
          (
            await fetch(`${health}/actuator/health`, {
              signal: AbortSignal.timeout(10_000),
            })
          ).status < 500
        );
      },
      300_000,
      `Kafdrop to answer on ${base} (log ${options.logFile})`,
      2000,
    );
    // Cold: the first topic list this JVM serves.
    const topicJsonCold = await time(`${base}/topic`, 'application/json');
    const topicJsonWarm = await time(`${base}/topic`, 'application/json');
    const indexPage = await time(`${base}/`, 'text/html');
    return { topicJsonCold, topicJsonWarm, indexPage };
  } finally {
    await stopProcessGroup(child.pid!);
  }
}
