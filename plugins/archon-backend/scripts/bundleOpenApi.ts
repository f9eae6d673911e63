import fs from 'node:fs/promises';
import path from 'node:path';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import prettier from 'prettier';
import { Document, isMap, parseDocument, type Pair, YAMLMap } from 'yaml';

/**
 * The parts of the spec (`src/schema/parts/<part>.yaml`), in the order of
 * the bundle: `common` first (the document's head and the components every
 * system uses), then one part per system. A part file not listed here is
 * refused rather than silently left out of the contract.
 */
export const OPENAPI_PARTS = [
  'common',
  'config',
  'health',
  'kafka',
  'connect',
  'deploy',
  'marathon',
  'gateway',
  'zookeeper',
  'audit',
  'graph',
  'home',
] as const;

const BUNDLE_HEADER = [
  ' GENERATED from src/schema/parts/*.yaml by',
  ' `yarn workspace @archon/plugin-archon-backend generate`: edit the parts, not this file.',
].join('\n');

/** What a part may hold: the head only in `common`; paths and components anywhere. */
const HEAD_KEYS = ['openapi', 'info', 'servers'];
const MERGED_KEYS = ['components', 'paths'];

function keyOf(pair: Pair): string {
  return String((pair.key as { value?: unknown })?.value ?? pair.key);
}

/** The map under `key` in `parent`, created (block style) when absent. */
function mapAt(parent: YAMLMap, key: string): YAMLMap {
  let map = parent.get(key);
  if (map === undefined || map === null) {
    map = new YAMLMap();
    parent.set(key, map);
  }
  if (!isMap(map)) {
    throw new Error(`'${key}' must be a map`);
  }
  return map;
}

/** Every `$ref` in the bundle, with where it was found (a JSON pointer). */
function collectRefs(node: unknown, at: string, out: [string, string][]) {
  if (Array.isArray(node)) {
    node.forEach((item, i) => collectRefs(item, `${at}/${i}`, out));
  } else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      const pointer = key.replace(/~/g, '~0').replace(/\//g, '~1');
      if (key === '$ref' && typeof value === 'string') out.push([value, at]);
      else collectRefs(value, `${at}/${pointer}`, out);
    }
  }
}

/**
 * Bundles the parts into one OpenAPI document, formatted as the repository's
 * Prettier config says. Paths and components are moved as they are (one
 * part's entries after the other's, in OPENAPI_PARTS order); a name defined by
 * two parts, or a `$ref` that names no component of the bundle, is refused.
 */
export async function bundleOpenApi(options: {
  partsDir: string;
  parts?: readonly string[];
}): Promise<string> {
  const { partsDir, parts = OPENAPI_PARTS } = options;
  const files = (await fs.readdir(partsDir)).filter(f => f.endsWith('.yaml'));
  const unlisted = files.filter(f => !parts.includes(f.replace(/\.yaml$/, '')));
  if (unlisted.length) {
    throw new Error(
      `${unlisted.join(
        ', ',
      )} in ${partsDir} is not a listed part of the spec (OPENAPI_PARTS)`,
    );
  }

  const bundle = new Document(new YAMLMap());
  const root = bundle.contents as YAMLMap;
  const definedIn = new Map<string, string>();
  const define = (name: string, part: string) => {
    const earlier = definedIn.get(name);
    if (earlier) {
      throw new Error(`${name} is defined by both ${earlier} and ${part}`);
    }
    definedIn.set(name, part);
  };

  for (const part of parts) {
    const file = `${part}.yaml`;
    const doc = parseDocument(
      await fs.readFile(path.join(partsDir, file), 'utf8'),
    );
    if (doc.errors.length) {
      throw new Error(`${file}: ${doc.errors[0].message}`);
    }
    if (!isMap(doc.contents)) {
      throw new Error(`${file} must be a map`);
    }
    for (const pair of doc.contents.items) {
      const key = keyOf(pair);
      if (HEAD_KEYS.includes(key)) {
        define(key, file);
        root.set(key, pair.value);
      } else if (key === 'paths') {
        const paths = mapAt(root, 'paths');
        for (const entry of (pair.value as YAMLMap).items) {
          define(`path ${keyOf(entry)}`, file);
          paths.items.push(entry);
        }
      } else if (key === 'components') {
        const components = mapAt(root, 'components');
        for (const section of (pair.value as YAMLMap).items) {
          const sectionName = keyOf(section);
          const target = mapAt(components, sectionName);
          const entries = (section.value as YAMLMap | null)?.items ?? [];
          if (entries.length) target.flow = false;
          for (const entry of entries) {
            define(`#/components/${sectionName}/${keyOf(entry)}`, file);
            target.items.push(entry);
          }
        }
      } else {
        throw new Error(
          `${file}: '${key}' is not allowed in a part (only ${[
            ...HEAD_KEYS,
            ...MERGED_KEYS,
          ].join(', ')})`,
        );
      }
    }
  }
  // The head first, as OpenAPI documents are read.
  root.items.sort(
    (a, b) =>
      [...HEAD_KEYS, ...MERGED_KEYS].indexOf(keyOf(a)) -
      [...HEAD_KEYS, ...MERGED_KEYS].indexOf(keyOf(b)),
  );

  const refs: [string, string][] = [];
  collectRefs(bundle.toJS(), '#', refs);
  const dangling = refs.filter(([ref]) => !definedIn.has(ref));
  if (dangling.length) {
    throw new Error(
      `$ref names no component of the bundle: ${dangling
        .slice(0, 5)
        .map(([ref, at]) => `${ref} (at ${at})`)
        .join(', ')}`,
    );
  }

  bundle.commentBefore = BUNDLE_HEADER;
  const text = bundle.toString();
  const config = await prettier.resolveConfig(partsDir);
  return prettier.format(text, { ...config, parser: 'yaml' });
}

/** `src/schema/openapi.yaml`, bundled from `src/schema/parts/`. */
export async function writeOpenApiBundle(schemaDir: string): Promise<string> {
  const target = path.join(schemaDir, 'openapi.yaml');
  await fs.writeFile(
    target,
    await bundleOpenApi({ partsDir: path.join(schemaDir, 'parts') }),
  );
  return target;
}

if (require.main === module) {
  writeOpenApiBundle(
    resolvePackagePath('@archon/plugin-archon-backend', 'src/schema'),
  ).then(
    target => process.stdout.write(`Bundled ${target}\n`),
    error => {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    },
  );
}
