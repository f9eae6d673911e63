import { InputError } from '@backstage/errors';

/**
 * The message filter of a read or a live tail, evaluated by the backend on
 * each record's bytes: `key` (the key's UTF-8 text equals it),
 * `valueContains` (the value's UTF-8 text contains it) and `jsonPath` (the
 * value parses as JSON and the expression holds). All given parts must hold.
 *
 * The JSON path grammar is deliberately small (a library that evaluates
 * script filter expressions has no place on user input):
 *
 *   expression := path [ operator literal ]
 *   path       := '$' ( '.' name | '[' index ']' | '["' text '"]' )*
 *   operator   := '==' | '!=' | '>' | '>=' | '<' | '<=' | '~='
 *   literal    := a JSON number, "string", true, false or null,
 *                 or a bare word (read as a string)
 *
 * A path alone holds when it exists and is not null; `~=` holds when the
 * value at the path, as text, contains the literal; `==`/`!=` compare JSON
 * values exactly (`$.id == 42` does not match `"42"`); the order operators
 * compare two numbers or two strings.
 * Examples: `$.user.id == 42`, `$.status != "done"`, `$.items[0].sku ~= AB`.
 */
export interface MessageFilterInput {
  key?: string;
  valueContains?: string;
  jsonPath?: string;
}

export type MessagePredicate = (record: {
  key: Buffer | null;
  value: Buffer | null;
}) => boolean;

type Operator = '==' | '!=' | '>' | '>=' | '<' | '<=' | '~=';
type Step = string | number;

interface JsonPathTest {
  path: Step[];
  op?: Operator;
  literal?: unknown;
}

const OPERATORS: Operator[] = ['==', '!=', '>=', '<=', '~=', '>', '<'];
const NAME = /^[A-Za-z_$][A-Za-z0-9_$-]*/;
/** Long enough for any real path; bounds the parse work of one request. */
const MAX_EXPRESSION = 1000;

const bad = (field: string, message: string) =>
  new InputError(`${field}: ${message}`);

/** Parses a JSON path test; throws a 400 naming `field` and the position. */
export function parseJsonPath(
  expression: string,
  field = 'jsonPath',
): JsonPathTest {
  if (expression.length > MAX_EXPRESSION)
    throw bad(field, `at most ${MAX_EXPRESSION} characters`);
  const text = expression.trim();
  if (!text.startsWith('$'))
    throw bad(field, `must start with "$" (e.g. $.user.id == 42)`);
  const path: Step[] = [];
  let i = 1;
  const at = () => ` at position ${i + 1} of "${text}"`;
  while (i < text.length && (text[i] === '.' || text[i] === '[')) {
    if (text[i] === '.') {
      const name = NAME.exec(text.slice(i + 1))?.[0];
      if (!name) throw bad(field, `expected a name after "."${at()}`);
      path.push(name);
      i += 1 + name.length;
      continue;
    }
    const close = text.indexOf(']', i);
    if (close < 0) throw bad(field, `"[" without "]"${at()}`);
    const inner = text.slice(i + 1, close).trim();
    if (/^\d+$/.test(inner)) path.push(Number(inner));
    else if (/^"[^"]*"$/.test(inner)) path.push(inner.slice(1, -1));
    else throw bad(field, `expected [number] or ["name"]${at()}`);
    i = close + 1;
  }
  const rest = text.slice(i).trim();
  if (!rest) return { path };
  i = text.length - rest.length;
  const op = OPERATORS.find(o => rest.startsWith(o));
  if (!op)
    throw bad(
      field,
      `expected one of ${OPERATORS.join(' ')} after the path${at()}`,
    );
  const raw = rest.slice(op.length).trim();
  if (!raw) throw bad(field, `expected a value after "${op}"`);
  let literal: unknown;
  if (/^[-"\d]|^(true|false|null)$/.test(raw)) {
    try {
      literal = JSON.parse(raw);
    } catch {
      throw bad(field, `"${raw}" is not a JSON value (quote text: "…")`);
    }
  } else if (/^\S+$/.test(raw)) {
    literal = raw;
  } else {
    throw bad(field, `quote a value with spaces: "${raw}"`);
  }
  if (
    ['>', '>=', '<', '<='].includes(op) &&
    typeof literal !== 'number' &&
    typeof literal !== 'string'
  )
    throw bad(field, `"${op}" compares numbers or strings`);
  return { path, op, literal };
}

function lookup(value: unknown, path: Step[]): unknown {
  let current = value;
  for (const step of path) {
    if (current === null || typeof current !== 'object') return undefined;
    if (typeof step === 'number') {
      if (!Array.isArray(current)) return undefined;
      current = current[step];
    } else {
      if (!Object.prototype.hasOwnProperty.call(current, step))
        return undefined;
      current = (current as Record<string, unknown>)[step];
    }
  }
  return current;
}

function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (
    a === null ||
    b === null ||
    typeof a !== 'object' ||
    typeof b !== 'object'
  )
    return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** Whether a parsed JSON value passes the test. */
export function testJson(value: unknown, test: JsonPathTest): boolean {
  const found = lookup(value, test.path);
  if (found === undefined) return false;
  const { op, literal } = test;
  if (!op) return found !== null;
  if (op === '==') return sameJson(found, literal);
  if (op === '!=') return !sameJson(found, literal);
  if (op === '~=') {
    const text = typeof found === 'string' ? found : JSON.stringify(found);
    return text.includes(String(literal));
  }
  if (typeof found !== typeof literal) return false;
  const [a, b] = [found as number | string, literal as number | string];
  if (op === '>') return a > b;
  if (op === '>=') return a >= b;
  if (op === '<') return a < b;
  return a <= b;
}

/** The filter as a predicate, or undefined when no part is given (read everything). */
export function compileMessageFilter(
  input: MessageFilterInput,
): MessagePredicate | undefined {
  const key = input.key || undefined;
  const contains = input.valueContains || undefined;
  const json = input.jsonPath?.trim()
    ? parseJsonPath(input.jsonPath)
    : undefined;
  if (key === undefined && contains === undefined && !json) return undefined;
  const keyBytes = key === undefined ? undefined : Buffer.from(key, 'utf8');
  const containsBytes =
    contains === undefined ? undefined : Buffer.from(contains, 'utf8');
  return record => {
    if (keyBytes && !(record.key && record.key.equals(keyBytes))) return false;
    if (
      containsBytes &&
      !(record.value && record.value.includes(containsBytes))
    )
      return false;
    if (json) {
      if (!record.value) return false;
      let parsed: unknown;
      try {
        parsed = JSON.parse(record.value.toString('utf8'));
      } catch {
        return false;
      }
      if (!testJson(parsed, json)) return false;
    }
    return true;
  };
}
