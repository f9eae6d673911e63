import { Violations } from '../http/errors';
import { isObject } from '../util/json';

/**
 * A tiny type checker that reports errors the way Marathon's RAML-generated Play-JSON
 * readers do: JSON paths like `/healthChecks(0)/portIndex` and error keys like
 * `error.expected.jsstring`, `error.min`, `error.pattern`, `error.path.missing`.
 * Unknown properties are ignored, as they are by the server.
 */
export type Shape =
  | { kind: 'string'; minLength?: number; maxLength?: number; pattern?: RegExp }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'int'; min?: number; max?: number }
  | { kind: 'number'; min?: number; max?: number }
  | { kind: 'boolean' }
  | { kind: 'array'; items: Shape }
  | {
      kind: 'object';
      properties: Record<string, Shape>;
      required?: readonly string[];
    }
  | { kind: 'map'; values: Shape }
  | { kind: 'any' }
  | {
      kind: 'custom';
      check: (value: unknown, path: string, violations: Violations) => void;
    };

const INT32_MAX = 2147483647;
const INT32_MIN = -2147483648;

function checkRange(
  value: number,
  shape: { min?: number; max?: number },
  path: string,
  violations: Violations,
): void {
  if (shape.min !== undefined && value < shape.min)
    violations.add(path, 'error.min');
  if (shape.max !== undefined && value > shape.max)
    violations.add(path, 'error.max');
}

export function checkShape(
  value: unknown,
  shape: Shape,
  path: string,
  violations: Violations,
): void {
  switch (shape.kind) {
    case 'any':
      return;
    case 'custom':
      shape.check(value, path, violations);
      return;
    case 'string':
      if (typeof value !== 'string') {
        violations.add(path, 'error.expected.jsstring');
        return;
      }
      if (shape.minLength !== undefined && value.length < shape.minLength) {
        violations.add(path, 'error.minLength');
      }
      if (shape.maxLength !== undefined && value.length > shape.maxLength) {
        violations.add(path, 'error.maxLength');
      }
      if (shape.pattern && !shape.pattern.test(value))
        violations.add(path, 'error.pattern');
      return;
    case 'enum':
      if (typeof value !== 'string')
        violations.add(path, 'error.expected.jsstring');
      else if (!shape.values.includes(value))
        violations.add(path, 'error.unknown.enum.literal');
      return;
    case 'int':
      if (typeof value !== 'number')
        violations.add(path, 'error.expected.jsnumber');
      else if (
        !Number.isInteger(value) ||
        value > INT32_MAX ||
        value < INT32_MIN
      ) {
        violations.add(path, 'error.expected.int');
      } else checkRange(value, shape, path, violations);
      return;
    case 'number':
      if (typeof value !== 'number')
        violations.add(path, 'error.expected.jsnumber');
      else checkRange(value, shape, path, violations);
      return;
    case 'boolean':
      if (typeof value !== 'boolean')
        violations.add(path, 'error.expected.jsboolean');
      return;
    case 'array':
      if (!Array.isArray(value)) {
        violations.add(path, 'error.expected.jsarray');
        return;
      }
      value.forEach((item, index) =>
        checkShape(item, shape.items, `${path}(${index})`, violations),
      );
      return;
    case 'map':
      if (!isObject(value)) {
        violations.add(path, 'error.expected.jsobject');
        return;
      }
      for (const [key, item] of Object.entries(value)) {
        checkShape(item, shape.values, `${path}/${key}`, violations);
      }
      return;
    case 'object':
      if (!isObject(value)) {
        violations.add(path, 'error.expected.jsobject');
        return;
      }
      for (const required of shape.required ?? []) {
        if (!(required in value))
          violations.add(`${path}/${required}`, 'error.path.missing');
      }
      for (const [key, propertyShape] of Object.entries(shape.properties)) {
        const property = value[key];
        // Optional properties that are absent or null are read as "not given".
        if (
          property === undefined ||
          (property === null && !shape.required?.includes(key))
        )
          continue;
        checkShape(property, propertyShape, `${path}/${key}`, violations);
      }
      return;
    default:
      return;
  }
}
