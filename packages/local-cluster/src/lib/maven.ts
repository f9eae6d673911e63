import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { ClusterError } from './errors';
import { assertJavaOnce } from './java';
import { withLock } from './lock';
import { ensureDir, writeFileAtomic } from './paths';
import { runToCompletion } from './process';
import { ClusterSettings } from './settings';
import { KAFKA_VERSION, ZOOKEEPER_VERSION } from './versions';

/**
 * The jar cache: one folder per JVM service, filled by one Maven run over
 * maven/pom.xml (see the comment there), plus a marker recording what was fetched.
 *
 *   <cache>/zookeeper/lib/*.jar
 *   <cache>/kafka/lib/*.jar          (also holds kafka.tools.StorageTool)
 *   <cache>/connect/lib/*.jar
 *   <cache>/connect/plugins/connect-file/*.jar     <- Connect's plugin.path
 *   <cache>/connect/plugins/connect-mirror/*.jar
 *   <cache>/archon-cache.json        (marker: versions + hash of the poms)
 */
export interface Artifacts {
  cacheDir: string;
  zookeeperLib: string;
  kafkaLib: string;
  connectLib: string;
  connectPlugins: string;
}

const MARKER = 'archon-cache.json';
const SERVICE_DIRS = ['zookeeper', 'kafka', 'connect'] as const;

export function artifactPaths(cacheDir: string): Artifacts {
  return {
    cacheDir,
    zookeeperLib: path.join(cacheDir, 'zookeeper', 'lib'),
    kafkaLib: path.join(cacheDir, 'kafka', 'lib'),
    connectLib: path.join(cacheDir, 'connect', 'lib'),
    connectPlugins: path.join(cacheDir, 'connect', 'plugins'),
  };
}

interface CacheMarker {
  zookeeper: string;
  kafka: string;
  pomHash: string;
  fetchedAt: string;
}

/** Hash of every pom: editing a pom (new jar, new version) invalidates the cache. */
function pomHash(mavenDir: string): string {
  const hash = crypto.createHash('sha256');
  const walk = (dir: string) => {
    for (const entry of fs
      .readdirSync(dir, { withFileTypes: true })
      .sort((a, b) => a.name.localeCompare(b.name))) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name === 'pom.xml') {
        hash.update(path.relative(mavenDir, full));
        hash.update(fs.readFileSync(full));
      }
    }
  };
  walk(mavenDir);
  return hash.digest('hex').slice(0, 16);
}

function hasJars(dir: string): boolean {
  try {
    return fs.readdirSync(dir).some(f => f.endsWith('.jar'));
  } catch {
    return false;
  }
}

/** True when the cache holds every jar folder for the pinned versions. */
export function isCacheComplete(settings: ClusterSettings): boolean {
  const { cacheDir, mavenDir } = settings;
  let marker: CacheMarker;
  try {
    marker = JSON.parse(fs.readFileSync(path.join(cacheDir, MARKER), 'utf8'));
  } catch {
    return false;
  }
  const a = artifactPaths(cacheDir);
  return (
    marker.zookeeper === ZOOKEEPER_VERSION &&
    marker.kafka === KAFKA_VERSION &&
    marker.pomHash === pomHash(mavenDir) &&
    [a.zookeeperLib, a.kafkaLib, a.connectLib].every(hasJars) &&
    hasJars(path.join(a.connectPlugins, 'connect-file')) &&
    hasJars(path.join(a.connectPlugins, 'connect-mirror'))
  );
}

function assertMaven(env: NodeJS.ProcessEnv): string {
  const bin = env.ARCHON_MVN || 'mvn';
  const result = spawnSync(bin, ['-v'], {
    encoding: 'utf8',
    timeout: 60_000,
    env,
  });
  if (result.error || result.status !== 0) {
    throw new ClusterError(
      `Maven is missing (could not run '${bin}'): install it (e.g. apt-get install -y maven); it downloads the cluster's jars once`,
    );
  }
  return bin;
}

/**
 * Makes sure the jars are in the cache, downloading them with Maven when they
 * are not. Safe to call from several processes at once (a lock in the cache
 * folder), and a failed or interrupted download never leaves a half cache: Maven
 * fills a staging folder that is moved into place only on success.
 */
export async function ensureArtifacts(
  settings: ClusterSettings,
  options: { force?: boolean } = {},
): Promise<Artifacts> {
  assertJavaOnce(settings.env);
  const { cacheDir } = settings;
  if (!options.force && isCacheComplete(settings))
    return artifactPaths(cacheDir);

  ensureDir(cacheDir);
  return withLock(
    path.join(cacheDir, '.lock'),
    {
      purpose: 'fetching jars',
      timeoutMs: 20 * 60_000,
      onWait: () =>
        settings.log('waiting for another process that is fetching the jars…'),
    },
    async () => {
      if (!options.force && isCacheComplete(settings))
        return artifactPaths(cacheDir);
      const mvn = assertMaven(settings.env);
      const started = Date.now();
      settings.log(
        `fetching ZooKeeper ${ZOOKEEPER_VERSION} and Kafka ${KAFKA_VERSION} jars with Maven into ${cacheDir} (first time only)…`,
      );
      // Leftovers of interrupted fetches (we hold the lock, so none is in use).
      for (const entry of fs.readdirSync(cacheDir)) {
        if (entry.startsWith('.staging-'))
          fs.rmSync(path.join(cacheDir, entry), {
            recursive: true,
            force: true,
          });
      }
      const staging = path.join(cacheDir, `.staging-${process.pid}`);
      const logFile = path.join(cacheDir, 'fetch.log');
      fs.rmSync(logFile, { force: true });
      const extra = (settings.env.ARCHON_MAVEN_ARGS ?? '')
        .split(/\s+/)
        .filter(Boolean);
      const result = await runToCompletion(
        mvn,
        [
          '-q',
          '-B',
          '-f',
          path.join(settings.mavenDir, 'pom.xml'),
          ...extra,
          'generate-resources',
          `-Darchon.cache=${staging}`,
        ],
        {
          logFile,
          cwd: settings.mavenDir,
          env: settings.env,
          timeoutMs: 20 * 60_000,
        },
      );
      if (result.code !== 0) {
        fs.rmSync(staging, { recursive: true, force: true });
        throw new ClusterError(
          `Maven could not download the cluster's jars (${
            result.error ?? `exit code ${result.code}`
          }); see ${logFile}, check that Maven Central (or your ~/.m2/settings.xml mirror) is reachable, then run 'fetch' again`,
        );
      }
      for (const dir of SERVICE_DIRS) {
        const target = path.join(cacheDir, dir);
        fs.rmSync(target, { recursive: true, force: true });
        fs.renameSync(path.join(staging, dir), target);
      }
      fs.rmSync(staging, { recursive: true, force: true });
      const marker: CacheMarker = {
        zookeeper: ZOOKEEPER_VERSION,
        kafka: KAFKA_VERSION,
        pomHash: pomHash(settings.mavenDir),
        fetchedAt: new Date().toISOString(),
      };
      writeFileAtomic(
        path.join(cacheDir, MARKER),
        `${JSON.stringify(marker, null, 2)}\n`,
      );
      if (!isCacheComplete(settings)) {
        throw new ClusterError(
          `Maven finished but the jar cache in ${cacheDir} is incomplete; see ${logFile}`,
        );
      }
      settings.log(
        `jars fetched in ${((Date.now() - started) / 1000).toFixed(1)} s`,
      );
      return artifactPaths(cacheDir);
    },
  );
}
