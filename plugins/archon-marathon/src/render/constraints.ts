import { Problems } from './renderProblems';

export const CONSTRAINT_OPERATORS = [
  'UNIQUE',
  'CLUSTER',
  'GROUP_BY',
  'LIKE',
  'UNLIKE',
  'MAX_PER',
  'IS',
];

/** `hostname:UNIQUE;rack:GROUP_BY:3` or a JSON array of arrays. */
export function parseConstraints(
  raw: string | undefined,
  problems: Problems,
): string[][] {
  if (!raw) return [];
  let items: string[][];
  if (raw.startsWith('[')) {
    try {
      const parsed = JSON.parse(raw);
      if (
        !Array.isArray(parsed) ||
        parsed.some(
          c =>
            !Array.isArray(c) || c.some((v: unknown) => typeof v !== 'string'),
        )
      ) {
        throw new Error('shape');
      }
      items = parsed;
    } catch {
      problems.add(
        'marathon.constraints',
        'as JSON, must be an array of [field, OPERATOR, value?] string arrays',
      );
      return [];
    }
  } else {
    items = raw
      .split(';')
      .map(s => s.trim())
      .filter(Boolean)
      .map(s => {
        const [field, operator, ...rest] = s.split(':');
        if (rest.length) return [field, operator, rest.join(':')];
        return operator === undefined ? [field] : [field, operator];
      });
  }
  for (const c of items) {
    if (
      c.length < 2 ||
      !c[0] ||
      !CONSTRAINT_OPERATORS.includes((c[1] ?? '').toUpperCase())
    ) {
      problems.add(
        'marathon.constraints',
        `"${c.join(
          ':',
        )}" must be field:OPERATOR[:value] with OPERATOR one of ${CONSTRAINT_OPERATORS.join(
          ', ',
        )}`,
      );
      continue;
    }
    c[1] = c[1].toUpperCase();
    if (
      ['GROUP_BY', 'MAX_PER', 'LIKE', 'UNLIKE', 'IS', 'CLUSTER'].includes(
        c[1],
      ) &&
      c[1] !== 'GROUP_BY' &&
      c[1] !== 'CLUSTER' &&
      c.length < 3
    ) {
      problems.add(
        'marathon.constraints',
        `${c[1]} needs a value: ${c[0]}:${c[1]}:<value>`,
      );
    }
  }
  return items;
}
