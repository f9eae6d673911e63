import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClusterError } from './errors';
import { ensureDir } from './paths';
import { isProcessAlive, sleep } from './process';

/**
 * A cross-process exclusive lock: a folder created with mkdir (atomic on every
 * file system) holding owner.json with the holder's pid. A lock whose holder
 * died (kill -9, crash, Ctrl-C at a bad time) is stale and is broken by the next
 * caller, so a crashed run never blocks the cluster for good.
 */
export interface LockOwner {
  pid: number;
  host: string;
  token: string;
  purpose: string;
  acquiredAt: string;
}

export interface HeldLock {
  dir: string;
  owner: LockOwner;
  release(): void;
}

const OWNER_FILE = 'owner.json';
/** A lock folder without owner.json older than this is a crash between mkdir and the write. */
const ORPHAN_GRACE_MS = 10_000;

const held = new Set<HeldLock>();
let exitHookInstalled = false;

function installExitHook() {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  // Synchronous release when the process exits while holding a lock (e.g. the CLI
  // calling process.exit from a signal handler).
  process.once('exit', () => {
    for (const lock of [...held]) lock.release();
  });
}

export function readLockOwner(dir: string): LockOwner | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8'));
  } catch {
    return undefined;
  }
}

function isStale(dir: string): boolean {
  const owner = readLockOwner(dir);
  if (!owner) {
    try {
      return Date.now() - fs.statSync(dir).mtimeMs > ORPHAN_GRACE_MS;
    } catch {
      return false; // vanished: not stale, just retry
    }
  }
  // A holder on another host (shared folder) cannot be checked: only time would tell.
  if (owner.host !== os.hostname()) return false;
  return !isProcessAlive(owner.pid);
}

/**
 * Breaks a stale lock. Renaming first makes this safe when two processes find
 * the same stale lock: only one rename succeeds, the other just retries mkdir.
 */
function breakStaleLock(dir: string): void {
  const grave = `${dir}.stale-${process.pid}-${crypto
    .randomBytes(4)
    .toString('hex')}`;
  try {
    fs.renameSync(dir, grave);
  } catch {
    return;
  }
  fs.rmSync(grave, { recursive: true, force: true });
}

export interface AcquireOptions {
  /** What the holder is doing, shown to whoever waits. */
  purpose: string;
  /** How long to wait for another holder (default 5 minutes: a cold start can take a while). */
  timeoutMs?: number;
  /** Called once when we start waiting for another live holder. */
  onWait?: (owner: LockOwner | undefined) => void;
}

export async function acquireLock(
  dir: string,
  options: AcquireOptions,
): Promise<HeldLock> {
  const timeoutMs = options.timeoutMs ?? 5 * 60_000;
  const deadline = Date.now() + timeoutMs;
  ensureDir(path.dirname(dir));
  let waited = false;
  for (;;) {
    try {
      fs.mkdirSync(dir);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    if (isStale(dir)) {
      breakStaleLock(dir);
      continue;
    }
    if (!waited) {
      waited = true;
      options.onWait?.(readLockOwner(dir));
    }
    if (Date.now() > deadline) {
      const owner = readLockOwner(dir);
      throw new ClusterError(
        `timed out after ${Math.round(
          timeoutMs / 1000,
        )} s waiting for the lock ${dir}${
          owner ? ` held by pid ${owner.pid} (${owner.purpose})` : ''
        }; wait for that command to finish, or remove the folder if no such process runs`,
      );
    }
    await sleep(150 + Math.random() * 100);
  }

  const owner: LockOwner = {
    pid: process.pid,
    host: os.hostname(),
    token: crypto.randomBytes(8).toString('hex'),
    purpose: options.purpose,
    acquiredAt: new Date().toISOString(),
  };
  fs.writeFileSync(
    path.join(dir, OWNER_FILE),
    `${JSON.stringify(owner, null, 2)}\n`,
  );

  const lock: HeldLock = {
    dir,
    owner,
    release() {
      if (!held.delete(lock)) return;
      // Only remove the folder if it is still ours (it may have been broken as stale).
      if (readLockOwner(dir)?.token !== owner.token) return;
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  held.add(lock);
  installExitHook();
  return lock;
}

/** Runs `fn` while holding the lock at `dir`. */
export async function withLock<T>(
  dir: string,
  options: AcquireOptions,
  fn: () => Promise<T>,
): Promise<T> {
  const lock = await acquireLock(dir, options);
  try {
    return await fn();
  } finally {
    lock.release();
  }
}
