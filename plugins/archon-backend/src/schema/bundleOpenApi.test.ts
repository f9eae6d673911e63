import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import { parse } from 'yaml';
import { bundleOpenApi, OPENAPI_PARTS } from '../../scripts/bundleOpenApi';

const schemaDir = resolvePackagePath(
  '@archon/plugin-archon-backend',
  'src/schema',
);

/** A parts folder in a temporary directory, holding the given files. */
function partsDir(files: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'archon-openapi-parts-'));
  for (const [name, text] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

const head = `openapi: 3.1.0
info:
  title: t
  version: '1'
components:
  schemas:
    Error:
      type: object
`;

describe('bundleOpenApi', () => {
  it('is what src/schema/openapi.yaml holds (the committed bundle matches its parts)', async () => {
    const committed = fs.readFileSync(
      path.join(schemaDir, 'openapi.yaml'),
      'utf8',
    );
    await expect(
      bundleOpenApi({ partsDir: path.join(schemaDir, 'parts') }),
    ).resolves.toBe(committed);
    // Prettier formats ~7,000 lines: seconds on a loaded machine.
  }, 60_000);

  it('bundles every part file, each one listed', () => {
    const files = fs
      .readdirSync(path.join(schemaDir, 'parts'))
      .map(f => f.replace(/\.yaml$/, ''))
      .sort();
    expect(files).toEqual([...OPENAPI_PARTS].sort());
  });

  it('moves the parts as they are: paths in part order, components merged', async () => {
    const dir = partsDir({
      'common.yaml': head,
      'a.yaml': `paths:
  /a:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/B'
`,
      'b.yaml': `paths:
  /b:
    get:
      responses:
        default:
          description: error
          content:
            application/json:
              schema:
                $ref: '#/components/schemas/Error'
components:
  schemas:
    B:
      type: string
`,
    });
    const text = await bundleOpenApi({
      partsDir: dir,
      parts: ['common', 'a', 'b'],
    });
    expect(text).toMatch(/^# GENERATED from src\/schema\/parts/);
    const bundle = parse(text);
    expect(Object.keys(bundle)).toEqual([
      'openapi',
      'info',
      'components',
      'paths',
    ]);
    expect(Object.keys(bundle.paths)).toEqual(['/a', '/b']);
    expect(Object.keys(bundle.components.schemas)).toEqual(['Error', 'B']);
  });

  it('refuses a name two parts define, naming both', async () => {
    const dir = partsDir({
      'common.yaml': head,
      'a.yaml': `components:\n  schemas:\n    Error:\n      type: string\n`,
    });
    await expect(
      bundleOpenApi({ partsDir: dir, parts: ['common', 'a'] }),
    ).rejects.toThrow(
      '#/components/schemas/Error is defined by both common.yaml and a.yaml',
    );
  });

  it('refuses a $ref that names no component of the bundle', async () => {
    const dir = partsDir({
      'common.yaml': head,
      'a.yaml': `paths:\n  /a:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/Missing'\n`,
    });
    await expect(
      bundleOpenApi({ partsDir: dir, parts: ['common', 'a'] }),
    ).rejects.toThrow(
      '$ref names no component of the bundle: #/components/parameters/Missing (at #/paths/~1a/get/parameters/0)',
    );
  });

  it('refuses a part file that is not listed, and keys a part may not hold', async () => {
    await expect(
      bundleOpenApi({
        partsDir: partsDir({
          'common.yaml': head,
          'stray.yaml': 'paths: {}\n',
        }),
        parts: ['common'],
      }),
    ).rejects.toThrow('stray.yaml in');
    await expect(
      bundleOpenApi({
        partsDir: partsDir({ 'common.yaml': head, 'a.yaml': 'tags: []\n' }),
        parts: ['common', 'a'],
      }),
    ).rejects.toThrow("a.yaml: 'tags' is not allowed in a part");
  });
});
