import fs from 'node:fs';
import path from 'node:path';
import { SandboxLayout } from './sandboxLayout';

/** Mesos caps a single /files/read at 16 pages. */
export const MAX_READ_LENGTH = 16 * 4096;

export interface FileEntry {
  gid: string;
  mode: string;
  mtime: number;
  nlink: number;
  path: string;
  size: number;
  uid: string;
}

export type FilesResult<T> =
  | { ok: true; value: T }
  | { ok: false; status: 400 | 404; message: string };

function loadNames(file: string): Map<number, string> {
  const names = new Map<number, string>();
  try {
    for (const line of fs.readFileSync(file, 'utf8').split('\n')) {
      const [name, , id] = line.split(':');
      if (name && id !== undefined && /^\d+$/.test(id))
        names.set(Number(id), name);
    }
  } catch {
    // No name database: numeric ids are shown.
  }
  return names;
}

/** `ls -l` style mode string, as Mesos reports it. */
export function modeString(stat: fs.Stats): string {
  let type = '-';
  if (stat.isDirectory()) type = 'd';
  else if (stat.isSymbolicLink()) type = 'l';
  const bits = ['r', 'w', 'x'];
  let perms = '';
  for (let shift = 8; shift >= 0; shift--)
    perms += stat.mode & (1 << shift) ? bits[(8 - shift) % 3] : '-';
  return type + perms;
}

/**
 * The Mesos agent's files API over task sandboxes: browse a directory, read a file in
 * chunks (`{data, offset}`; offset -1 returns the size), download it. Only paths inside
 * the agent work dir are served; anything else is "not found", like a path Mesos has
 * not attached.
 */
export class SandboxFiles {
  private readonly users = loadNames('/etc/passwd');
  private readonly groups = loadNames('/etc/group');

  constructor(private readonly layout: SandboxLayout) {}

  private resolve(requested: string | null): FilesResult<string> {
    if (!requested)
      return {
        ok: false,
        status: 400,
        message: "Expecting 'path=value' in query.\n",
      };
    const absolute = path.resolve(requested);
    if (!this.layout.contains(absolute) || !fs.existsSync(absolute)) {
      return { ok: false, status: 404, message: '' };
    }
    const real = fs.realpathSync(absolute);
    if (!this.layout.contains(real))
      return { ok: false, status: 404, message: '' };
    return { ok: true, value: absolute };
  }

  private entry(file: string): FileEntry {
    const stat = fs.statSync(file);
    return {
      gid: this.groups.get(stat.gid) ?? String(stat.gid),
      mode: modeString(stat),
      mtime: Math.floor(stat.mtimeMs / 1000),
      nlink: stat.nlink,
      path: file,
      size: stat.size,
      uid: this.users.get(stat.uid) ?? String(stat.uid),
    };
  }

  browse(requested: string | null): FilesResult<FileEntry[]> {
    const resolved = this.resolve(requested);
    if (!resolved.ok) return resolved;
    const target = resolved.value;
    if (!fs.statSync(target).isDirectory())
      return { ok: true, value: [this.entry(target)] };
    const entries = fs
      .readdirSync(target)
      .sort()
      .map(name => this.entry(path.join(target, name)));
    return { ok: true, value: entries };
  }

  read(
    requested: string | null,
    offsetParam: string | null,
    lengthParam: string | null,
  ): FilesResult<{ data: string; offset: number }> {
    const resolved = this.resolve(requested);
    if (!resolved.ok) return resolved;
    const parse = (value: string | null, name: string): number | string => {
      if (value === null || value === '') return -1;
      if (!/^-?\d+$/.test(value))
        return `Failed to parse ${name}: Failed to convert '${value}' to number.\n`;
      return Number(value);
    };
    const offset = parse(offsetParam, 'offset');
    const length = parse(lengthParam, 'length');
    if (typeof offset === 'string')
      return { ok: false, status: 400, message: offset };
    if (typeof length === 'string')
      return { ok: false, status: 400, message: length };
    if (offset < -1)
      return {
        ok: false,
        status: 400,
        message: `Negative offset provided: ${offset}.\n`,
      };
    if (length < -1)
      return {
        ok: false,
        status: 400,
        message: `Negative length provided: ${length}.\n`,
      };
    const file = resolved.value;
    const stat = fs.statSync(file);
    if (stat.isDirectory())
      return { ok: false, status: 400, message: 'Cannot read a directory.\n' };
    const size = stat.size;
    if (offset === -1 || offset >= size)
      return { ok: true, value: { data: '', offset: size } };
    const wanted =
      length === -1 ? MAX_READ_LENGTH : Math.min(length, MAX_READ_LENGTH);
    const buffer = Buffer.alloc(Math.min(wanted, size - offset));
    const fd = fs.openSync(file, 'r');
    try {
      const read = fs.readSync(fd, buffer, 0, buffer.length, offset);
      return {
        ok: true,
        value: { data: buffer.subarray(0, read).toString('utf8'), offset },
      };
    } finally {
      fs.closeSync(fd);
    }
  }

  download(requested: string | null): FilesResult<{ file: string }> {
    const resolved = this.resolve(requested);
    if (!resolved.ok) return resolved;
    if (fs.statSync(resolved.value).isDirectory()) {
      return {
        ok: false,
        status: 400,
        message: 'Cannot download a directory.\n',
      };
    }
    return { ok: true, value: { file: resolved.value } };
  }
}
