/** Collects every problem of one configuration, reported together as one 422. */
export class Problems {
  readonly list: Array<{ path: string; errors: string[] }> = [];
  add(key: string, error: string) {
    const entry = this.list.find(e => e.path === key);
    if (entry) entry.errors.push(error);
    else this.list.push({ path: key, errors: [error] });
  }
}

/** Reads typed values of configuration keys, reporting what does not parse to `problems`. */
export function propertyReader(
  properties: Readonly<Record<string, string>>,
  problems: Problems,
) {
  const has = (key: string) => Object.hasOwn(properties, key);
  const str = (key: string) => (has(key) ? properties[key].trim() : undefined);

  const num = (
    key: string,
    options: {
      min?: number;
      max?: number;
      int?: boolean;
      def?: number;
      above?: number;
    },
  ) => {
    const raw = str(key);
    if (raw === undefined || raw === '') return options.def;
    const value = Number(raw);
    if (!Number.isFinite(value)) {
      problems.add(key, `"${raw}" is not a number`);
      return options.def;
    }
    if (options.int && !Number.isInteger(value))
      problems.add(key, `"${raw}" is not a whole number`);
    if (options.min !== undefined && value < options.min)
      problems.add(key, `${value} is less than ${options.min}`);
    if (options.above !== undefined && value <= options.above)
      problems.add(key, `${value} must be greater than ${options.above}`);
    if (options.max !== undefined && value > options.max)
      problems.add(key, `${value} is more than the limit ${options.max}`);
    return value;
  };
  const bool = (key: string) => {
    const raw = str(key);
    if (raw === undefined || raw === '') return undefined;
    if (/^(true|yes|1)$/i.test(raw)) return true;
    if (/^(false|no|0)$/i.test(raw)) return false;
    problems.add(key, `"${raw}" is not true or false`);
    return undefined;
  };
  return { has, str, num, bool };
}

export type PropertyReader = ReturnType<typeof propertyReader>;
