import fs from 'node:fs';
import path from 'node:path';
import { ConfigReader } from '@backstage/config';
import YAML from 'yaml';
import { readArchonTeams } from './permissionModuleArchonLocalPolicy';

// eslint-disable-next-line no-restricted-syntax -- the repository's own app-config files, as the backend reads them
const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
const read = (file: string) => ({
  context: file,
  data: YAML.parse(fs.readFileSync(path.join(ROOT, file), 'utf8')),
});

/** app-config.yaml with app-config.production.yaml on top, merged as the backend merges them. */
const production = ConfigReader.fromConfigs([
  read('app-config.yaml'),
  read('app-config.production.yaml'),
]);
const local = ConfigReader.fromConfigs([
  read('app-config.yaml'),
  read('app-config.embedded.yaml'),
]);

describe('the production profile', () => {
  it('has no guest sign-in, and a real provider', () => {
    expect(production.getConfig('auth.providers').keys()).toEqual(['github']);
    expect(production.getString('auth.environment')).toBe('production');
  });

  it('registers only archon’s own entities and templates', () => {
    const targets = production
      .getConfigArray('catalog.locations')
      .map(l => l.getString('target'));
    // archon's own component and API come from its catalog module, not a file.
    expect(targets).toEqual([
      '../../examples/templates/new-streaming-app/template.yaml',
    ]);
  });

  it('runs on PostgreSQL with the team policy', () => {
    expect(production.getString('backend.database.client')).toBe('pg');
    expect(readArchonTeams(production)).toEqual([
      { group: 'group:default/team-a', prefixes: ['/team-a'] },
      { group: 'group:default/team-b', prefixes: ['/team-b'] },
    ]);
    expect(production.getString('archon.permissions.adminGroup')).toBe(
      'group:default/archon-admins',
    );
  });

  it('scopes every static token, none of them to revealing secrets', () => {
    for (const profile of [production, local]) {
      for (const entry of profile.getConfigArray(
        'backend.auth.externalAccess',
      )) {
        const archon = entry
          .getConfigArray('accessRestrictions')
          .find(r => r.getString('plugin') === 'archon');
        const names = archon?.getStringArray('permission') ?? [];
        expect(names.length).toBeGreaterThan(0);
        expect(names).not.toContain('archon.config.secrets.reveal');
      }
    }
  });
});

describe('the embedded profile', () => {
  it('listens on loopback unless told otherwise, with the local policy', () => {
    expect(local.getString('backend.listen.host')).toBe(
      '${ARCHON_LISTEN_HOST:-127.0.0.1}',
    );
    expect(readArchonTeams(local)).toBeUndefined();
    expect(local.getString('auth.providers.guest.userEntityRef')).toBe(
      'user:default/guest',
    );
  });
});
