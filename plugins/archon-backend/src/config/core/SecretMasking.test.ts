import { ConfigDiff } from './ConfigDiff';
import { ConfigImpactAnalyzer } from './ConfigImpactAnalyzer';
import { ConfigResolver } from './ConfigResolver';
import { createConfigTreeSnapshot } from './ConfigTreeSnapshot';
import {
  SECRET_MASK,
  isSecretKey,
  maskConfigDiff,
  maskEffectiveConfig,
  maskImpactReport,
  maskProvenance,
  maskResolutionFailure,
  maskSecrets,
} from './SecretMasking';

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    Object.values(value).forEach(deepFreeze);
    Object.freeze(value);
  }
  return value;
}

describe('isSecretKey', () => {
  it('matches the default patterns as case-insensitive substrings', () => {
    for (const key of [
      'password',
      'db.PASSWORD',
      'clientSecret',
      'api-token.v2',
      'aws.credentials',
      'Credential',
    ]) {
      expect(isSecretKey(key)).toBe(true);
    }
    for (const key of ['user', 'pass', 'tok', 'host']) {
      expect(isSecretKey(key)).toBe(false);
    }
  });

  it('accepts custom patterns', () => {
    expect(isSecretKey('db.pin', ['PIN'])).toBe(true);
    expect(isSecretKey('password', ['pin'])).toBe(false);
  });
});

describe('maskSecrets', () => {
  it('masks values of secret keys and leaves the input alone', () => {
    const input = deepFreeze({ user: 'u', 'db.password': 'p', apiToken: 't' });
    expect(maskSecrets(input)).toEqual({
      user: 'u',
      'db.password': SECRET_MASK,
      apiToken: SECRET_MASK,
    });
    expect(input['db.password']).toBe('p');
  });
});

describe('maskProvenance', () => {
  it('masks winning and shadowed raw values of secret keys', () => {
    const provenance = deepFreeze({
      'db.password': {
        definedAt: '/a/b',
        raw: 'new',
        shadowed: [{ path: '/a', raw: 'old' }],
      },
      url: { definedAt: '/a', raw: 'x://${db.password}', shadowed: [] },
    });
    expect(maskProvenance(provenance)).toEqual({
      'db.password': {
        definedAt: '/a/b',
        raw: SECRET_MASK,
        shadowed: [{ path: '/a', raw: SECRET_MASK }],
      },
      url: { definedAt: '/a', raw: 'x://${db.password}', shadowed: [] },
    });
  });
});

describe('maskEffectiveConfig', () => {
  it('also masks values a secret was substituted into', () => {
    const config = new ConfigResolver().resolve(
      createConfigTreeSnapshot({
        '/a': {
          'db.password': 'hunter2',
          dsn: 'pg://u:${db.password}@h',
          viaChain: '[${dsn}]',
          host: 'h',
        },
      }),
      '/a',
    );
    deepFreeze(config);
    const masked = maskEffectiveConfig(config);
    expect(masked.properties).toEqual({
      'db.password': SECRET_MASK,
      dsn: SECRET_MASK,
      viaChain: SECRET_MASK,
      host: 'h',
    });
    expect(masked.provenance.dsn.raw).toBe('pg://u:${db.password}@h');
    expect(masked.provenance['db.password'].raw).toBe(SECRET_MASK);
    expect(config.properties['db.password']).toBe('hunter2');
  });
});

describe('maskConfigDiff', () => {
  it('masks secret values and values derived from secrets', () => {
    const diff: ConfigDiff = deepFreeze({
      added: [
        { key: 'token', value: 't', definedAt: '/a', substitutedKeys: [] },
        { key: 'plain', value: 'p', definedAt: '/a', substitutedKeys: [] },
      ],
      removed: [
        {
          key: 'dsn',
          value: 'pg://u:s3cret@h',
          definedAt: '/a',
          substitutedKeys: ['db.password'],
        },
      ],
      changed: [
        {
          key: 'secretKey',
          from: 'a',
          to: 'b',
          definedAt: '/a',
          previousDefinedAt: '/a',
          substitutedKeys: [],
        },
        {
          key: 'host',
          from: 'a',
          to: 'b',
          definedAt: '/a',
          previousDefinedAt: '/a',
          substitutedKeys: [],
        },
      ],
    });
    const masked = maskConfigDiff(diff);
    expect(masked.added.map(e => e.value)).toEqual([SECRET_MASK, 'p']);
    expect(masked.removed[0].value).toBe(SECRET_MASK);
    expect(masked.changed[0]).toMatchObject({
      from: SECRET_MASK,
      to: SECRET_MASK,
    });
    expect(masked.changed[1]).toMatchObject({ from: 'a', to: 'b' });
  });
});

describe('maskResolutionFailure and maskImpactReport', () => {
  it('hides pieces of secrets that were parsed as references', () => {
    const snapshot = createConfigTreeSnapshot({
      '/a': { password: 'ab${cd}ef', other: '${missing}' },
    });
    const outcome = new ConfigResolver().tryResolve(snapshot, '/a');
    if (outcome.ok) throw new Error('expected failure');
    const masked = maskResolutionFailure(outcome.failure);
    expect(JSON.stringify(masked)).not.toContain('cd');
    expect(masked.problems.map(p => p.message)).toEqual([
      'key "other" (written at "/a") references "${missing}", but "missing" is not defined for "/a"',
      'key "password" (written at "/a") references a key that is not defined (name hidden: the value is secret)',
    ]);
    expect(JSON.stringify(outcome.failure)).toContain('cd');
  });

  it('masks every diff and failure of a report', () => {
    const snapshot = createConfigTreeSnapshot({
      '/a': { password: 'old', dsn: 'x:${password}', plain: '1' },
      '/a/b': { other: 'o' },
    });
    const analyzer = new ConfigImpactAnalyzer();
    const changes = deepFreeze(
      analyzer.analyze(snapshot, '/a', {
        password: 'new',
        dsn: 'x:${password}',
        plain: '2',
      }),
    );
    const maskedChanges = maskImpactReport(changes);
    expect(maskedChanges.changed.map(c => c.path)).toEqual(['/a', '/a/b']);
    expect(maskedChanges.changed[1].diff.changed).toEqual([
      expect.objectContaining({
        key: 'dsn',
        from: SECRET_MASK,
        to: SECRET_MASK,
      }),
      expect.objectContaining({
        key: 'password',
        from: SECRET_MASK,
        to: SECRET_MASK,
      }),
      expect.objectContaining({ key: 'plain', from: '1', to: '2' }),
    ]);
    expect(JSON.stringify(maskedChanges)).not.toMatch(/old|new/);
    expect(JSON.stringify(changes)).toMatch(/old/);

    const failures = deepFreeze(
      analyzer.analyze(snapshot, '/a/b', { token: 'x ${a b}' }),
    );
    expect(failures.startsFailing.map(f => f.path)).toEqual(['/a/b']);
    const maskedFailures = maskImpactReport(failures);
    expect(JSON.stringify(maskedFailures)).not.toContain('a b');
    expect(maskedFailures.startsFailing[0].failure.problems[0]).toMatchObject({
      kind: 'invalid-reference',
      reference: SECRET_MASK,
    });
    expect(JSON.stringify(failures)).toContain('a b');
  });
});
