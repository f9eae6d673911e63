import {
  coreServices,
  createServiceFactory,
  type LoggerService,
  type RootLoggerService,
  type ServiceFactory,
} from '@backstage/backend-plugin-api';
import type { JsonObject } from '@backstage/types';

/** Every line any plugin or service logged, serialized as it would be written out (errors with message and stack). */
export interface CapturedLogs {
  lines: string[];
  /** The root logger service factory to add to a test backend. */
  factory: ServiceFactory<RootLoggerService, 'root'>;
}

function serialize(level: string, message: string, meta: unknown): string {
  return JSON.stringify({ level, message, meta }, (_key, value) =>
    value instanceof Error
      ? { name: value.name, message: value.message, stack: value.stack }
      : value,
  );
}

class CapturingLogger implements RootLoggerService {
  readonly #lines: string[];
  readonly #meta: JsonObject;

  constructor(lines: string[], meta: JsonObject) {
    this.#lines = lines;
    this.#meta = meta;
  }

  error(message: string, meta?: Error | JsonObject) {
    this.#lines.push(serialize('error', message, { ...this.#meta, meta }));
  }
  warn(message: string, meta?: Error | JsonObject) {
    this.#lines.push(serialize('warn', message, { ...this.#meta, meta }));
  }
  info(message: string, meta?: Error | JsonObject) {
    this.#lines.push(serialize('info', message, { ...this.#meta, meta }));
  }
  debug(message: string, meta?: Error | JsonObject) {
    this.#lines.push(serialize('debug', message, { ...this.#meta, meta }));
  }
  child(meta: JsonObject): LoggerService {
    return new CapturingLogger(this.#lines, { ...this.#meta, ...meta });
  }
}

/** A root logger that keeps every line at every level, for tests that grep what was logged. */
export function captureLogs(): CapturedLogs {
  const lines: string[] = [];
  return {
    lines,
    factory: createServiceFactory({
      service: coreServices.rootLogger,
      deps: {},
      factory: () => new CapturingLogger(lines, {}),
    }),
  };
}
