import {
  DEFAULT_SECRET_KEY_PATTERNS,
  isSecretKey,
  maskSecretValues,
  readSecretKeyPatterns,
  SECRET_MASK,
} from './secrets';
import { topicNameProblem } from './topicNames';

describe('isSecretKey', () => {
  it('matches the default patterns anywhere in the key, ignoring case', () => {
    expect(isSecretKey('db.password')).toBe(true);
    expect(isSecretKey('API_TOKEN')).toBe(true);
    expect(isSecretKey('aws.Credentials.file')).toBe(true);
    expect(isSecretKey('client.secret')).toBe(true);
    expect(isSecretKey('db.url')).toBe(false);
  });

  it('uses the given patterns instead of the defaults', () => {
    expect(isSecretKey('db.password', ['pin'])).toBe(false);
    expect(isSecretKey('card.PIN', ['pin'])).toBe(true);
  });
});

describe('readSecretKeyPatterns', () => {
  it('reads archon.secrets.keyPatterns and falls back to the defaults', () => {
    const config = (value?: string[]) => ({
      getOptionalStringArray: (key: string) =>
        key === 'archon.secrets.keyPatterns' ? value : undefined,
    });
    expect(readSecretKeyPatterns(config(['pin']))).toEqual(['pin']);
    expect(readSecretKeyPatterns(config())).toBe(DEFAULT_SECRET_KEY_PATTERNS);
  });
});

describe('maskSecretValues', () => {
  it('masks secret keys only and leaves the input alone', () => {
    const input = { 'db.password': 'hunter2', 'db.url': 'jdbc:x' };
    expect(maskSecretValues(input)).toEqual({
      'db.password': SECRET_MASK,
      'db.url': 'jdbc:x',
    });
    expect(input['db.password']).toBe('hunter2');
  });
});

describe('topicNameProblem', () => {
  it('accepts what Kafka accepts and names what is wrong otherwise', () => {
    expect(topicNameProblem('sample.raw_1-x')).toBeUndefined();
    expect(topicNameProblem('')).toMatch(/empty/);
    expect(topicNameProblem('..')).toMatch(/cannot be/);
    expect(topicNameProblem('a'.repeat(250))).toMatch(/at most 249/);
    expect(topicNameProblem('bad name')).toMatch(/illegal/);
  });
});
