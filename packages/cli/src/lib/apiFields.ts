import type { Command } from 'commander';
import { ApiError, type ApiErrorBody } from './errors';

/**
 * API field name → how a CLI user says it: a flag (`--kind`) or an argument
 * (`<path>`). The API's errors speak the API (`request/query/kinds/0`,
 * `expectedVersion`); the CLI's speak its command line (docs/glossary.md).
 */
export type FieldNames = Readonly<Record<string, string>>;

const tables = new WeakMap<Command, FieldNames>();

/**
 * Declares the fields of a command's requests that are not simply the
 * camelCase name of one of its flags (`kinds` for `--kind`, `timeoutSeconds`
 * for `--timeout`, `configPath` for `<path>`).
 */
export function setApiFields(cmd: Command, names: FieldNames): void {
  tables.set(cmd, { ...tables.get(cmd), ...names });
}

/**
 * Every field name the command knows: each flag of the command and of its
 * parent groups by its attribute name (`expectedVersion` → `--expected-version`),
 * then the declared tables, the command's own last. The root's global flags
 * (`--output`, `--url`, ...) are never request fields and are left out.
 */
export function fieldNamesOf(cmd: Command): Record<string, string> {
  const chain: Command[] = [];
  for (let c: Command | null = cmd; c?.parent; c = c.parent) chain.unshift(c);
  const names: Record<string, string> = {};
  for (const c of chain) {
    for (const o of c.options) {
      if (o.long && !o.negate) names[o.attributeName()] = o.long;
    }
  }
  for (const c of chain) Object.assign(names, tables.get(c));
  return names;
}

/** The validator's reference to a field: `request/query/kinds/0`, `request/body/expectedVersion`. */
const REQUEST_REF =
  /\brequest\/(?:query|body|params|path|headers)\/([A-Za-z_][A-Za-z0-9_]*)(?:\/[^\s,:;)'"]*)?/g;
/** A field in quotes: `"expectedVersion" is missing`, `Parameter 'regex' must be ...`. */
const QUOTED = /(["'`])([A-Za-z_][A-Za-z0-9_]*)\1/g;
/**
 * A camelCase word, which in an error message is a field name, never English;
 * not a part of a dotted or substituted name (`marathon.healthCheck.timeoutSeconds`,
 * `${timeoutSeconds}`), which is the user's own configuration.
 */
const CAMEL = /(?<![\w.$/{-])[a-z]+[A-Z][A-Za-z0-9]*(?![\w}]|\.\w)/g;
/**
 * A plain field name opening a clause that judges a value: `limit must be <=
 * 1000`, `regex is not a valid regular expression`. Not any clause: "cluster
 * is unreachable" speaks of the cluster, not of `--cluster`.
 */
const LEADING =
  /(^|[,;] )([a-z][a-z0-9]*)(?= (?:must|needs|is (?:not a valid|missing|required|not allowed|too))\b)/g;

/**
 * The API's answer to a cluster, ensemble or target it does not know
 * (`unknown Kafka cluster "x"; configured: a, b`), to which the flag that
 * chooses it is added.
 */
const UNKNOWN_NAME =
  /^unknown (Kafka Connect cluster|Kafka cluster|ZooKeeper ensemble|Marathon instance|deploy target) "[^"]*"; configured: [^\n]*$/i;
const FIELD_OF_KIND: Record<string, string> = {
  'kafka connect cluster': 'cluster',
  'kafka cluster': 'cluster',
  'zookeeper ensemble': 'ensemble',
  'marathon instance': 'instance',
  'deploy target': 'instance',
};

/** A message with the API's field names replaced by the command's flags and arguments. */
export function inCliWords(text: string, names: FieldNames): string {
  return (
    text
      // The name came from a flag (or its default: the environment, the
      // context): say which flag, so the user knows what to change. The
      // configured names follow in the API's own words.
      .replace(UNKNOWN_NAME, (clause, kind: string) => {
        const field = FIELD_OF_KIND[kind.toLowerCase()];
        // `--instance` is only the older name of `--target`.
        const flag =
          field === 'instance' ? names.target ?? names.instance : names[field];
        return flag ? `${clause} (choose one with ${flag})` : clause;
      })
      .replace(REQUEST_REF, (ref, field: string) => names[field] ?? ref)
      .replace(QUOTED, (quoted, _q, field: string) => names[field] ?? quoted)
      .replace(CAMEL, word => names[word] ?? word)
      .replace(LEADING, (clause, before: string, field: string) =>
        names[field] ? `${before}${names[field]}` : clause,
      )
  );
}

/** One field-level problem as the API reports it in `error.details`. */
interface FieldProblem {
  field: string;
  problem: string;
}

const isFieldProblem = (item: unknown): item is FieldProblem =>
  !!item &&
  typeof item === 'object' &&
  typeof (item as FieldProblem).field === 'string' &&
  typeof (item as FieldProblem).problem === 'string';

/**
 * An API error in the words of the command that got it: its message and its
 * `details` (`[{ field, problem }]`) name the command's flags and arguments.
 * The exit code stays the status's (400: usage, 2). Other errors pass as they
 * are; so do 401/403, whose message names no field but carries a login hint.
 */
export function inCliTerms(error: unknown, cmd: Command): unknown {
  if (
    !(error instanceof ApiError) ||
    error.status === 401 ||
    error.status === 403
  )
    return error;
  const names = fieldNamesOf(cmd);
  const body = error.body;
  if (!body?.error) return error;
  const details = body.error.details;
  const mapped: ApiErrorBody = {
    ...body,
    error: {
      ...body.error,
      ...(typeof body.error.message === 'string' && {
        message: inCliWords(body.error.message, names),
      }),
      ...(Array.isArray(details) && {
        details: details.map(item =>
          isFieldProblem(item)
            ? {
                field: names[item.field] ?? inCliWords(item.field, names),
                problem: inCliWords(item.problem, names),
              }
            : item,
        ),
      }),
    },
  };
  return new ApiError({ status: error.status, body: mapped, url: error.url });
}
