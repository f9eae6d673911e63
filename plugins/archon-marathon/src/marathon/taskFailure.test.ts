import { DEFAULT_SECRET_KEY_PATTERNS } from '@archon/plugin-archon-common';
import { ARCHON_LABELS } from '../render/renderApp';
import { maskSecretsIn } from './taskFailure';

// An app archon did not deploy carries no ARCHON_SECRET_ENV label: only the
// key patterns decide which env values a quoted stderr hides.
const app = {
  env: { SHOP_PIN: 'pin-4711', DB_PASSWORD: 'hunter22', REGION: 'eu-west' },
  labels: {},
};
const stderr = 'pin-4711 rejected; password hunter22; region eu-west';

describe('maskSecretsIn', () => {
  it('honours the configured archon.secrets.keyPatterns', () => {
    expect(
      maskSecretsIn(stderr, app, [...DEFAULT_SECRET_KEY_PATTERNS, 'pin']),
    ).toBe('******** rejected; password ********; region eu-west');
  });

  it('masks only what the default patterns name when none are configured', () => {
    expect(maskSecretsIn(stderr, app)).toBe(
      'pin-4711 rejected; password ********; region eu-west',
    );
  });

  it('masks what archon listed as secret whatever the patterns', () => {
    expect(
      maskSecretsIn(
        stderr,
        { ...app, labels: { [ARCHON_LABELS.secretEnv]: 'REGION' } },
        [],
      ),
    ).toBe('pin-4711 rejected; password hunter22; region ********');
  });
});
