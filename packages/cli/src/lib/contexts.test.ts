import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  configFilePath,
  isLocalDefault,
  normalizeUrl,
  readConfigFile,
  resolveTarget,
  writeConfigFile,
} from './contexts';

describe('contexts', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archon-ctx-'));
    env = {
      HOME: dir,
      XDG_CONFIG_HOME: path.join(dir, 'xdg'),
      ARCHON_TOKEN_FILE: path.join(dir, 'api-token'),
    };
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('stores contexts under XDG_CONFIG_HOME with mode 600', () => {
    const file = configFilePath(env);
    expect(file).toBe(path.join(dir, 'xdg', 'archon', 'config.yaml'));
    expect(configFilePath({ HOME: dir })).toBe(
      path.join(dir, '.config', 'archon', 'config.yaml'),
    );
    writeConfigFile(file, {
      currentContext: 'a',
      contexts: { a: { url: 'https://a.example', token: 't' } },
    });
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(readConfigFile(file)).toEqual({
      currentContext: 'a',
      contexts: { a: { url: 'https://a.example', token: 't' } },
    });
  });

  it('resolves URL and token: flags and env over the context, the local token file only for the local default', () => {
    const file = configFilePath(env);
    writeConfigFile(file, {
      currentContext: 'prod',
      contexts: {
        prod: {
          url: 'https://prod.example/',
          token: 'prod-token',
          kafkaCluster: 'main',
        },
      },
    });
    fs.writeFileSync(env.ARCHON_TOKEN_FILE!, 'local-token\n');

    expect(resolveTarget({}, env)).toMatchObject({
      url: 'https://prod.example',
      token: 'prod-token',
      tokenSource: 'context',
      contextName: 'prod',
    });
    expect(resolveTarget({}, env).context?.kafkaCluster).toBe('main');
    // Another URL never gets the context's token.
    expect(
      resolveTarget({}, { ...env, ARCHON_URL: 'https://other.example' }),
    ).toMatchObject({ url: 'https://other.example', tokenSource: 'none' });
    expect(resolveTarget({ url: 'http://localhost:7007' }, env)).toMatchObject({
      token: 'local-token',
      tokenSource: 'local token file',
    });
    expect(
      resolveTarget({}, { ...env, ARCHON_TOKEN: 'env-token' }),
    ).toMatchObject({ token: 'env-token', tokenSource: 'ARCHON_TOKEN' });
    expect(() => resolveTarget({ context: 'nope' }, env)).toThrow(
      /no context "nope"/,
    );
    fs.rmSync(file);
    expect(resolveTarget({}, env)).toMatchObject({
      url: 'http://localhost:7007',
      urlSource: 'local default',
      token: 'local-token',
    });
  });

  it('normalizes URLs', () => {
    expect(normalizeUrl('localhost:7007')).toBe('http://localhost:7007');
    expect(normalizeUrl('https://x.example/api/archon/')).toBe(
      'https://x.example',
    );
    expect(() => normalizeUrl('ftp://x')).toThrow(/http/);
    expect(isLocalDefault('http://127.0.0.1:7007')).toBe(true);
    expect(isLocalDefault('http://localhost:7008')).toBe(false);
  });
});
