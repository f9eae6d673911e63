/**
 * Sets an own, enumerable property. Plain assignment is several times faster
 * than `Object.fromEntries` on hot paths, but `obj['__proto__'] = v` would
 * replace the prototype instead of adding a key, and `__proto__` is a valid
 * configuration key, so that one key is defined explicitly.
 */
export function setOwnProperty<T>(
  target: Record<string, T>,
  key: string,
  value: T,
): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, {
      value,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  } else {
    target[key] = value;
  }
}
