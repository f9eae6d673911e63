import { useApi } from '@backstage/frontend-plugin-api';
import {
  configKeyHint,
  MARATHON_KEY_HINTS,
  type ArchonApiClient,
} from '@archon/plugin-archon-common';
import useAsync from 'react-use/esm/useAsync';
import { archonApiRef } from '../../api';
import { apiPath } from '../../lib/configPaths';
import { unwrap } from '../../lib/errors';

/** Siblings whose sets are read for hints; more would cost a request each. */
const MAX_SIBLINGS = 10;

export interface KeyHint {
  key: string;
  /** Where it is used, and what it means when archon knows. */
  description: string;
}

function parentOf(path: string): string | undefined {
  const at = path.lastIndexOf('/');
  return at > 0 ? path.slice(0, at) : undefined;
}

/** Keys used at the ancestors (what the level inherits) and at its siblings, with where. */
async function usedKeys(
  api: ArchonApiClient,
  path: string,
): Promise<Map<string, string[]>> {
  const used = new Map<string, string[]>();
  const note = (key: string, where: string) =>
    used.set(key, [...(used.get(key) ?? []), where]);
  const parent = parentOf(path);
  if (!parent) return used;
  try {
    const inherited = await unwrap(
      api.getEffectiveConfig({
        path: { configPath: apiPath(parent) },
        query: { explain: 'partial' },
      }),
    );
    for (const [key, p] of Object.entries(inherited.provenance))
      note(key, p.definedAt);
    for (const e of inherited.errors ?? []) note(e.key, parent);
  } catch {
    // A parent that does not exist yet has nothing to inherit.
  }
  try {
    const tree = await unwrap(
      api.getConfigTree({ query: { prefix: parent, depth: 1 } }),
    );
    const siblings = (tree.children ?? [])
      .filter(c => c.hasSet && c.path !== path)
      .slice(0, MAX_SIBLINGS);
    const sets = await Promise.all(
      siblings.map(s =>
        unwrap(
          api.getConfigSet({
            path: { configPath: apiPath(s.path) },
            query: {},
          }),
        ).catch(() => undefined),
      ),
    );
    for (const set of sets)
      for (const key of Object.keys(set?.properties ?? {}))
        note(key, set!.path);
  } catch {
    // No siblings to learn from.
  }
  return used;
}

/**
 * Keys to suggest when adding one to `path`'s set: those used at sibling and
 * ancestor levels (e.g. `marathon.cmd`, `marathon.instances`), then the keys
 * the Marathon renderer reads, each with where it is used and its meaning.
 */
export function useKeyHints(path: string): KeyHint[] {
  const api = useApi(archonApiRef);
  const { value } = useAsync(() => usedKeys(api, path), [api, path]);
  const hints: KeyHint[] = [];
  for (const [key, where] of [
    ...(value ?? new Map<string, string[]>()),
  ].sort()) {
    const meaning = configKeyHint(key);
    hints.push({
      key,
      description: [`used at ${[...new Set(where)].join(', ')}`, meaning]
        .filter(Boolean)
        .join(' — '),
    });
  }
  for (const [key, meaning] of Object.entries(MARATHON_KEY_HINTS))
    if (!value?.has(key)) hints.push({ key, description: meaning });
  return hints;
}
