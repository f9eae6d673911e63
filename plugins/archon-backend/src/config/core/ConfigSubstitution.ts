/*
 * The `${key}` substitution syntax, parsed once per value so the resolver
 * and the diff can share it.
 *
 * Scanning is left to right:
 *  - `$${` is an escape for a literal `${` and is never a reference;
 *  - `${name}` is a reference; `name` is everything up to the first `}` and
 *    must be a valid key (no trimming, so `${ a }` is invalid);
 *  - `${` without a later `}` is an error, not literal text, so that a typo
 *    does not silently ship a half-written reference;
 *  - any other `$` is literal.
 */

const KEY_PATTERN = /^[A-Za-z0-9._-]+$/;

export type ConfigValueToken =
  | { kind: 'literal'; text: string }
  | { kind: 'reference'; key: string; offset: number };

export type ConfigValueSyntaxProblem =
  | { kind: 'unterminated-reference'; offset: number }
  | { kind: 'invalid-reference'; reference: string; offset: number };

export interface ParsedConfigValue {
  tokens: ConfigValueToken[];
  /** Malformed references; the value cannot be resolved when non-empty. */
  syntaxProblems: ConfigValueSyntaxProblem[];
}

/**
 * True when the value may contain references or escapes. Values without `${`
 * (the vast majority) are taken verbatim without tokenising.
 */
export function hasSubstitutionSyntax(raw: string): boolean {
  return raw.includes('${');
}

/** Splits a raw value into literal text and references. */
export function parseConfigValue(raw: string): ParsedConfigValue {
  const tokens: ConfigValueToken[] = [];
  const syntaxProblems: ConfigValueSyntaxProblem[] = [];
  let literal = '';
  let i = 0;
  while (i < raw.length) {
    const dollar = raw.indexOf('$', i);
    if (dollar < 0) {
      literal += raw.slice(i);
      break;
    }
    literal += raw.slice(i, dollar);
    if (raw.startsWith('$${', dollar)) {
      literal += '${';
      i = dollar + 3;
    } else if (raw.startsWith('${', dollar)) {
      const close = raw.indexOf('}', dollar + 2);
      if (close < 0) {
        syntaxProblems.push({ kind: 'unterminated-reference', offset: dollar });
        literal += raw.slice(dollar);
        break;
      }
      const reference = raw.slice(dollar + 2, close);
      if (KEY_PATTERN.test(reference)) {
        if (literal) {
          tokens.push({ kind: 'literal', text: literal });
          literal = '';
        }
        tokens.push({ kind: 'reference', key: reference, offset: dollar });
      } else {
        syntaxProblems.push({
          kind: 'invalid-reference',
          reference,
          offset: dollar,
        });
        literal += raw.slice(dollar, close + 1);
      }
      i = close + 1;
    } else {
      literal += '$';
      i = dollar + 1;
    }
  }
  if (literal) {
    tokens.push({ kind: 'literal', text: literal });
  }
  return { tokens, syntaxProblems };
}

/** The keys a raw value references directly, in order, without duplicates. */
export function referencedKeysOf(raw: string): string[] {
  if (!hasSubstitutionSyntax(raw)) {
    return [];
  }
  const keys = new Set<string>();
  for (const token of parseConfigValue(raw).tokens) {
    if (token.kind === 'reference') keys.add(token.key);
  }
  return [...keys];
}

/**
 * Every key whose value flows into `key`'s value through `${}`, directly or
 * through chains, sorted. `rawValueOf` gives the winning raw value of a key
 * (undefined when missing). Used to tell which changes come through chains
 * and to mask values derived from secrets.
 */
export function transitiveReferencesOf(
  key: string,
  rawValueOf: (key: string) => string | undefined,
): string[] {
  const seen = new Set<string>();
  const pending = [key];
  while (pending.length > 0) {
    const raw = rawValueOf(pending.pop()!);
    if (raw === undefined) continue;
    for (const referenced of referencedKeysOf(raw)) {
      if (!seen.has(referenced)) {
        seen.add(referenced);
        pending.push(referenced);
      }
    }
  }
  seen.delete(key); // a self-reference is a cycle, not a dependency
  return [...seen].sort();
}
