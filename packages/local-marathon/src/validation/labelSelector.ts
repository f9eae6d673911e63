import { unprocessable } from '../http/errors';

type LabelPredicate = (labels: Record<string, string>) => boolean;

/** Splits on `sep` outside parentheses, honouring backslash escapes. */
function splitTopLevel(text: string, sep: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i];
    if (char === '\\' && i + 1 < text.length) {
      current += char + text[++i];
      continue;
    }
    if (char === '(') depth++;
    if (char === ')') depth--;
    if (char === sep && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts;
}

const unescape = (text: string) => text.trim().replace(/\\(.)/g, '$1');

/** Keys and values: `-A-Za-z0-9_.`, anything else backslash-escaped (server: LabelSelectorParsers). */
const TERM = String.raw`(?:\\.|[-A-Za-z0-9_.])+`;
const SET_SELECTOR = new RegExp(
  String.raw`^(${TERM})\s+(in|notin)\s+\((.*)\)$`,
);
const EQUALITY_SELECTOR = new RegExp(
  String.raw`^(${TERM})\s*(==|!=)\s*(${TERM})$`,
);
const EXISTENCE_SELECTOR = new RegExp(String.raw`^${TERM}$`);
const TERM_ONLY = new RegExp(String.raw`^${TERM}$`);

function parseSelector(selector: string): LabelPredicate {
  const text = selector.trim();
  const fail = () => unprocessable(`Can not parse label selector ${selector}`);
  const set = SET_SELECTOR.exec(text);
  if (set) {
    const key = unescape(set[1]);
    const rawValues = splitTopLevel(set[3], ',').map(value => value.trim());
    if (!rawValues.every(value => TERM_ONLY.test(value))) throw fail();
    const values = rawValues.map(unescape);
    return set[2] === 'in'
      ? labels => key in labels && values.includes(labels[key])
      : labels => key in labels && !values.includes(labels[key]);
  }
  const equality = EQUALITY_SELECTOR.exec(text);
  if (equality) {
    const key = unescape(equality[1]);
    const value = unescape(equality[3]);
    return equality[2] === '=='
      ? labels => labels[key] === value
      : labels => key in labels && labels[key] !== value;
  }
  if (EXISTENCE_SELECTOR.test(text)) {
    const key = unescape(text);
    return labels => key in labels;
  }
  throw fail();
}

/**
 * Marathon's label selector query (GET /v2/apps?label=...): comma-separated selectors that
 * must all match; `key`, `key==value`, `key!=value`, `key in (a,b)`, `key notin (a,b)`,
 * with backslash escapes for special characters.
 */
export function parseLabelSelector(query: string): LabelPredicate {
  const predicates = splitTopLevel(query, ',')
    .filter(part => part.trim().length > 0)
    .map(parseSelector);
  return labels => predicates.every(predicate => predicate(labels));
}
