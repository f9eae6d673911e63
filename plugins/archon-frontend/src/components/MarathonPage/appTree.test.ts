import type { MarathonAppSummary } from '@archon/plugin-archon-common';
import { groupOf, toggleFolder, treeRows } from './appTree';

const app = (
  id: string,
  status: MarathonAppSummary['status'],
  instances = 1,
): MarathonAppSummary => ({
  id,
  status,
  instances,
  staged: 0,
  running: instances,
  healthy: 0,
  unhealthy: 0,
  deployments: [],
});

const apps = [
  app('/team/shop/cart', 'healthy', 2),
  // Its one task keeps failing: none runs.
  { ...app('/team/shop/checkout', 'crash-looping'), running: 0 },
  app('/team/api', 'running'),
  app('/other/x', 'suspended', 0),
  app('/solo', 'deploying'),
];
const shown = (open: string[], expandAll = false) =>
  treeRows(apps, new Set(open), expandAll).map(r =>
    r.kind === 'folder'
      ? `${'  '.repeat(r.depth)}${r.name}/ ${r.apps} ${r.state} ${r.running}/${
          r.instances
        }${r.open ? ' open' : ''}`
      : `${'  '.repeat(r.depth)}${r.id}`,
  );

describe('the Marathon folder tree', () => {
  it('puts top-level apps in the root group', () => {
    expect(groupOf('/a/b/c')).toBe('/a/b');
    expect(groupOf('/solo')).toBe('/');
  });

  it('shows closed folders with their app count and worst state, then the top-level apps', () => {
    expect(shown([])).toEqual([
      'other/ 1 suspended 0/0',
      'team/ 3 crash-looping 3/4',
      '/solo',
    ]);
  });

  it('opens a folder inside a folder, subfolders before apps', () => {
    expect(shown(['/team', '/team/shop'])).toEqual([
      'other/ 1 suspended 0/0',
      'team/ 3 crash-looping 3/4 open',
      '  shop/ 2 crash-looping 2/3 open',
      '    /team/shop/cart',
      '    /team/shop/checkout',
      '  /team/api',
      '/solo',
    ]);
  });

  it('opens everything while a filter is on', () => {
    expect(shown([], true)).toContain('    /team/shop/cart');
  });

  it('opening a folder opens the folders above it; closing one closes those below it', () => {
    expect([...toggleFolder(new Set(), '/team/shop')].sort()).toEqual([
      '/team',
      '/team/shop',
    ]);
    expect([
      ...toggleFolder(new Set(['/team', '/team/shop', '/teamx']), '/team'),
    ]).toEqual(['/teamx']);
  });
});
