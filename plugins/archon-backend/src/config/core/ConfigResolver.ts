import { ancestorsOf } from './ConfigPath';
import { ConfigResolutionError } from './ConfigResolutionError';
import { setOwnProperty } from './records';
import {
  ConfigValueToken,
  hasSubstitutionSyntax,
  parseConfigValue,
} from './ConfigSubstitution';
import {
  ConfigProvenance,
  ConfigResolutionOutcome,
  ConfigResolutionProblem,
  ConfigTreeSnapshot,
  EffectiveConfig,
} from './types';

export interface ConfigResolverOptions {
  /**
   * Longest value substitution may produce, in UTF-16 code units. Guards
   * against exponential growth (`a=${b}${b}`, `b=${c}${c}`, ...), which stays
   * tiny when stored but explodes when resolved. Default 1,000,000.
   */
  maxResolvedValueLength?: number;
}

export const DEFAULT_MAX_RESOLVED_VALUE_LENGTH = 1_000_000;

const IN_PROGRESS = 1;
const RESOLVED = 2;
const FAILED = 3;

/** One value being substituted; the explicit stack avoids deep recursion on long chains. */
interface Frame {
  key: string;
  tokens: ConfigValueToken[];
  next: number;
  parts: string[];
  length: number;
  failed: boolean;
  tooLarge: boolean;
}

function q(text: string): string {
  return JSON.stringify(text);
}

/**
 * Computes effective configurations: merges the sets of every prefix of a
 * path (deeper wins) and substitutes `${key}` references against the merged
 * result, so a reference written high up binds late to the deepest override.
 *
 * Stateless: every call reads only the snapshot it is given, so nothing can
 * go stale between calls. Per call the work is linear in the number of keys
 * along the chain plus the length of the values (and one sort of the keys).
 */
export class ConfigResolver {
  private readonly maxResolvedValueLength: number;

  constructor(options: ConfigResolverOptions = {}) {
    this.maxResolvedValueLength =
      options.maxResolvedValueLength ?? DEFAULT_MAX_RESOLVED_VALUE_LENGTH;
  }

  /**
   * Resolves the effective configuration of `path`. The path need not exist
   * in the snapshot: an application path below the last level simply
   * inherits; missing levels contribute nothing.
   *
   * @throws InputError when `path` is not a valid configuration path.
   * @throws ConfigResolutionError listing every problem when any value
   *   cannot be substituted.
   */
  resolve(snapshot: ConfigTreeSnapshot, path: string): EffectiveConfig {
    const outcome = this.tryResolve(snapshot, path);
    if (!outcome.ok) {
      throw new ConfigResolutionError(outcome.failure);
    }
    return outcome.config;
  }

  /**
   * Like {@link ConfigResolver.resolve}, but returns resolution problems
   * instead of throwing (an invalid path still throws). Cheaper when many
   * paths are expected to fail, since no Error is built.
   */
  tryResolve(
    snapshot: ConfigTreeSnapshot,
    path: string,
  ): ConfigResolutionOutcome {
    const { versions, definitions, keys } = this.collect(snapshot, path);
    const { resolved, problems, failedKeys } = this.substitute(
      path,
      keys,
      definitions,
    );

    if (problems.length > 0) {
      return {
        ok: false,
        failure: {
          path,
          problems,
          unresolvedKeys: failedKeys.sort(),
          versions,
        },
      };
    }
    const properties: Record<string, string> = {};
    const provenance: Record<string, ConfigProvenance> = {};
    for (const key of keys) {
      setOwnProperty(properties, key, resolved.get(key)!);
      setOwnProperty(provenance, key, definitions.get(key)!);
    }
    return { ok: true, config: { path, properties, provenance, versions } };
  }

  /**
   * Every key that resolves, with its provenance, and for each key that does
   * not the reason: the problems it is part of, or the keys it depends on
   * that fail. Never throws for a resolution problem (an explain that
   * degrades instead of failing whole).
   */
  resolvePartial(
    snapshot: ConfigTreeSnapshot,
    path: string,
  ): EffectiveConfig & { errors: Array<{ key: string; reason: string }> } {
    const { versions, definitions, keys } = this.collect(snapshot, path);
    const { resolved, problems, failedKeys } = this.substitute(
      path,
      keys,
      definitions,
    );
    const properties: Record<string, string> = {};
    const provenance: Record<string, ConfigProvenance> = {};
    for (const key of keys) {
      if (!resolved.has(key)) continue;
      setOwnProperty(properties, key, resolved.get(key)!);
      setOwnProperty(provenance, key, definitions.get(key)!);
    }
    const failed = new Set(failedKeys);
    const errors = [...failed].sort().map(key => {
      const own = problems.filter(p => {
        if (p.kind === 'missing-key') return p.referencedBy === key;
        if (p.kind === 'cycle') return p.cycle.includes(key);
        return p.key === key;
      });
      if (own.length > 0)
        return { key, reason: own.map(p => p.message).join('; ') };
      const via = [...referencedKeys(definitions.get(key)!.raw)].filter(k =>
        failed.has(k),
      );
      return {
        key,
        reason: `depends on ${
          via.map(k => q(k)).join(', ') || 'a key'
        } that does not resolve`,
      };
    });
    return { path, properties, provenance, versions, errors };
  }

  /** The definitions that apply to `path`, nearest level first, and the versions of its levels. */
  private collect(snapshot: ConfigTreeSnapshot, path: string) {
    const levelPaths = ancestorsOf(path);

    const versions: Record<string, number> = {};
    const levelsWithSets: Array<[string, Readonly<Record<string, string>>]> =
      [];
    for (const levelPath of levelPaths) {
      const level = snapshot.get(levelPath);
      if (level) {
        versions[levelPath] = level.version;
        if (level.hasSet) levelsWithSets.push([levelPath, level.properties]);
      }
    }

    // Deepest first, so the first definition seen wins and later ones are
    // shadowed in nearest-first order without any sorting.
    const definitions = new Map<string, ConfigProvenance>();
    for (let i = levelsWithSets.length - 1; i >= 0; i--) {
      const [levelPath, properties] = levelsWithSets[i];
      for (const key of Object.keys(properties)) {
        const raw = properties[key];
        const existing = definitions.get(key);
        if (existing) {
          existing.shadowed.push({ path: levelPath, raw });
        } else {
          definitions.set(key, { definedAt: levelPath, raw, shadowed: [] });
        }
      }
    }

    const keys = [...definitions.keys()].sort();
    return { versions, definitions, keys };
  }

  /**
   * Depth-first substitution with memoisation, so each value is substituted
   * once however many keys refer to it. Problems are collected rather than
   * thrown so that one response can list all of them.
   */
  private substitute(
    path: string,
    sortedKeys: string[],
    definitions: ReadonlyMap<string, ConfigProvenance>,
  ): {
    resolved: Map<string, string>;
    problems: ConfigResolutionProblem[];
    failedKeys: string[];
  } {
    const limit = this.maxResolvedValueLength;
    const state = new Map<string, number>();
    const resolved = new Map<string, string>();
    const problems: ConfigResolutionProblem[] = [];
    const failedKeys: string[] = [];
    const reported = new Set<string>();
    const stack: Frame[] = [];
    const stackIndex = new Map<string, number>();

    const writtenAt = (key: string) => definitions.get(key)!.definedAt;

    const start = (key: string) => {
      const raw = definitions.get(key)!.raw;
      if (!hasSubstitutionSyntax(raw)) {
        state.set(key, RESOLVED);
        resolved.set(key, raw);
        return;
      }
      const { tokens, syntaxProblems } = parseConfigValue(raw);
      for (const problem of syntaxProblems) {
        const where = `key ${q(key)} (written at ${q(writtenAt(key))})`;
        if (problem.kind === 'unterminated-reference') {
          problems.push({
            kind: 'unterminated-reference',
            key,
            writtenAt: writtenAt(key),
            offset: problem.offset,
            message: `${where} has an unterminated "\${" at offset ${problem.offset}; write "$\${" for a literal "\${"`,
          });
        } else {
          problems.push({
            kind: 'invalid-reference',
            key,
            writtenAt: writtenAt(key),
            reference: problem.reference,
            offset: problem.offset,
            message: `${where} has an invalid reference ${q(
              `\${${problem.reference}}`,
            )} at offset ${
              problem.offset
            }; a reference is \${key} with a key of A-Z a-z 0-9 . _ -`,
          });
        }
      }
      state.set(key, IN_PROGRESS);
      stackIndex.set(key, stack.length);
      stack.push({
        key,
        tokens,
        next: 0,
        parts: [],
        length: 0,
        failed: syntaxProblems.length > 0,
        tooLarge: false,
      });
    };

    const append = (frame: Frame, text: string) => {
      if (frame.failed) return; // keep scanning for problems, skip the work
      frame.length += text.length;
      if (frame.length > limit) {
        frame.failed = true;
        frame.tooLarge = true;
        frame.parts = [];
        problems.push({
          kind: 'value-too-large',
          key: frame.key,
          writtenAt: writtenAt(frame.key),
          limit,
          message: `key ${q(frame.key)} (written at ${q(
            writtenAt(frame.key),
          )}) would be longer than ${limit} characters after substitution`,
        });
        return;
      }
      frame.parts.push(text);
    };

    for (const root of sortedKeys) {
      if (state.has(root)) continue;
      start(root);
      while (stack.length > 0) {
        const frame = stack[stack.length - 1];
        if (frame.next < frame.tokens.length) {
          const token = frame.tokens[frame.next];
          if (token.kind === 'literal') {
            frame.next++;
            append(frame, token.text);
            continue;
          }
          const target = token.key;
          const targetState = state.get(target);
          if (targetState === undefined) {
            if (definitions.has(target)) {
              // Resolve the target first; this token is looked at again
              // once the target's frame is done.
              start(target);
              continue;
            }
            frame.next++;
            frame.failed = true;
            const id = `missing\0${frame.key}\0${target}`;
            if (!reported.has(id)) {
              reported.add(id);
              problems.push({
                kind: 'missing-key',
                key: target,
                referencedBy: frame.key,
                writtenAt: writtenAt(frame.key),
                message: `key ${q(frame.key)} (written at ${q(
                  writtenAt(frame.key),
                )}) references ${q(`\${${target}}`)}, but ${q(
                  target,
                )} is not defined for ${q(path)}`,
              });
            }
            continue;
          }
          frame.next++;
          if (targetState === RESOLVED) {
            append(frame, resolved.get(target)!);
          } else if (targetState === FAILED) {
            frame.failed = true;
          } else {
            // The target is on the stack: everything from it up to here
            // refers round in a loop.
            const loop = stack.slice(stackIndex.get(target)!);
            loop.forEach(member => {
              member.failed = true;
            });
            const cycle = [...loop.map(member => member.key), target];
            const id = `cycle\0${cycle.join('\0')}`;
            if (!reported.has(id)) {
              reported.add(id);
              const references = loop.map(member => ({
                key: member.key,
                writtenAt: writtenAt(member.key),
              }));
              problems.push({
                kind: 'cycle',
                cycle,
                references,
                message: `references form a cycle ${cycle.join(
                  ' → ',
                )} (${references
                  .map(r => `${q(r.key)} written at ${q(r.writtenAt)}`)
                  .join(', ')})`,
              });
            }
          }
          continue;
        }
        stack.pop();
        stackIndex.delete(frame.key);
        if (frame.failed) {
          state.set(frame.key, FAILED);
          failedKeys.push(frame.key);
        } else {
          state.set(frame.key, RESOLVED);
          resolved.set(frame.key, frame.parts.join(''));
        }
      }
    }
    return { resolved, problems, failedKeys };
  }
}

/** The keys a raw value refers to with `${key}`. */
function referencedKeys(raw: string): Set<string> {
  const keys = new Set<string>();
  for (const token of parseConfigValue(raw).tokens) {
    if (token.kind === 'reference') keys.add(token.key);
  }
  return keys;
}
