import {
  worstAppState,
  type ArchonAppState,
  type MarathonAppSummary,
} from '@archon/plugin-archon-common';

/** `/a/b/c` → `/a/b`; top-level apps are in `/`. */
export function groupOf(appId: string): string {
  const i = appId.lastIndexOf('/');
  return i <= 0 ? '/' : appId.slice(0, i);
}

/** `/a/b` → [`/a`, `/a/b`]: the folder and every folder above it. */
export function foldersDownTo(folder: string): string[] {
  const segments = folder.split('/').filter(Boolean);
  return segments.map((_, i) => `/${segments.slice(0, i + 1).join('/')}`);
}

const sum = (
  apps: MarathonAppSummary[],
  of: (a: MarathonAppSummary) => number,
) => apps.reduce((n, a) => n + of(a), 0);

/** A folder (Marathon group) as its row shows it. */
export interface FolderRow {
  kind: 'folder';
  /** `/team/shop` */
  id: string;
  /** The last segment, `shop`. */
  name: string;
  depth: number;
  /** Apps in the folder and every folder below it. */
  apps: number;
  /** The worst state word of those apps. */
  state: ArchonAppState;
  running: number;
  staged: number;
  instances: number;
  open: boolean;
}

export interface AppRow {
  kind: 'app';
  id: string;
  depth: number;
  app: MarathonAppSummary;
}

export type TreeRow = FolderRow | AppRow;

interface Folder {
  id: string;
  folders: Map<string, Folder>;
  apps: MarathonAppSummary[];
}

/**
 * The apps as Marathon's UI lists them: folders first (by name), then the
 * folder's own apps (by id), each open folder followed by its content. A
 * folder's row counts and judges every app below it, shown or not.
 * `open` holds the open folders; with `expandAll` (a filter is on) every
 * folder is open, so each matching app is in sight.
 */
export function treeRows(
  apps: MarathonAppSummary[],
  open: ReadonlySet<string>,
  expandAll = false,
): TreeRow[] {
  const root: Folder = { id: '/', folders: new Map(), apps: [] };
  for (const app of apps) {
    let folder = root;
    for (const id of foldersDownTo(groupOf(app.id))) {
      let next = folder.folders.get(id);
      if (!next) {
        next = { id, folders: new Map(), apps: [] };
        folder.folders.set(id, next);
      }
      folder = next;
    }
    folder.apps.push(app);
  }
  const rows: TreeRow[] = [];
  const all = (f: Folder): MarathonAppSummary[] => [
    ...f.apps,
    ...[...f.folders.values()].flatMap(all),
  ];
  const walk = (folder: Folder, depth: number) => {
    const folders = [...folder.folders.values()].sort((a, b) =>
      a.id.localeCompare(b.id),
    );
    for (const f of folders) {
      const inside = all(f);
      const isOpen = expandAll || open.has(f.id);
      rows.push({
        kind: 'folder',
        id: f.id,
        name: f.id.slice(f.id.lastIndexOf('/') + 1),
        depth,
        apps: inside.length,
        state: worstAppState(inside.map(a => a.status)),
        running: sum(inside, a => a.running),
        staged: sum(inside, a => a.staged),
        instances: sum(inside, a => a.instances),
        open: isOpen,
      });
      if (isOpen) walk(f, depth + 1);
    }
    for (const app of [...folder.apps].sort((a, b) => a.id.localeCompare(b.id)))
      rows.push({ kind: 'app', id: app.id, depth, app });
  };
  walk(root, 0);
  return rows;
}

/**
 * The open folders after a click on `folder`: opening adds it (and the
 * folders above it); closing removes it and everything below it.
 */
export function toggleFolder(
  open: ReadonlySet<string>,
  folder: string,
): Set<string> {
  if (!open.has(folder)) return new Set([...open, ...foldersDownTo(folder)]);
  return new Set(
    [...open].filter(f => f !== folder && !f.startsWith(`${folder}/`)),
  );
}
