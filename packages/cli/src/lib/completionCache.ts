import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/**
 * Names for shell completion, kept briefly on disk: pressing Tab twice, or
 * typing one more letter, must not ask the API again. Best effort: a cache
 * that cannot be read or written only means asking the API.
 */

/** How long names stay fresh: long enough for one command line, short enough to see new topics soon. */
export const COMPLETION_TTL_MS = 30_000;

interface Entry {
  at: number;
  /** Whether `names` is every name with the entry's prefix (not one truncated page). */
  complete: boolean;
  names: string[];
}

/** `$XDG_CACHE_HOME/archon/completion`, `~/.cache/archon/completion` by default. */
export function completionCacheDir(env: NodeJS.ProcessEnv): string {
  const base =
    env.XDG_CACHE_HOME && path.isAbsolute(env.XDG_CACHE_HOME)
      ? env.XDG_CACHE_HOME
      : path.join(env.HOME || os.homedir(), '.cache');
  return path.join(base, 'archon', 'completion');
}

export class CompletionCache {
  readonly #dir: string;
  readonly #now: () => number;

  constructor(env: NodeJS.ProcessEnv, now: () => number = Date.now) {
    this.#dir = completionCacheDir(env);
    this.#now = now;
  }

  #file(scope: string, prefix: string): string {
    const key = createHash('sha256')
      .update(`${scope}\n${prefix}`)
      .digest('hex');
    return path.join(this.#dir, `${key.slice(0, 32)}.json`);
  }

  #read(scope: string, prefix: string): Entry | undefined {
    try {
      const entry = JSON.parse(
        fs.readFileSync(this.#file(scope, prefix), 'utf8'),
      ) as Entry;
      const age = this.#now() - entry.at;
      return age >= 0 && age < COMPLETION_TTL_MS ? entry : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * The fresh names starting with `prefix` in `scope` (backend, kind,
   * cluster): from the entry for this prefix, or from a complete entry for a
   * shorter one (typing a letter more narrows what is known).
   */
  get(scope: string, prefix: string): string[] | undefined {
    for (let n = prefix.length; n >= 0; n--) {
      const entry = this.#read(scope, prefix.slice(0, n));
      if (entry && (n === prefix.length || entry.complete))
        return entry.names.filter(name => name.startsWith(prefix));
    }
    return undefined;
  }

  set(scope: string, prefix: string, names: string[], complete: boolean) {
    try {
      fs.mkdirSync(this.#dir, { recursive: true, mode: 0o700 });
      const file = this.#file(scope, prefix);
      // Written whole, then renamed: a concurrent completion never reads half a file.
      const tmp = `${file}.${process.pid}.tmp`;
      fs.writeFileSync(
        tmp,
        JSON.stringify({ at: this.#now(), complete, names } satisfies Entry),
        { mode: 0o600 },
      );
      fs.renameSync(tmp, file);
    } catch {
      // No cache (read-only home, full disk): the next completion asks again.
    }
  }
}
