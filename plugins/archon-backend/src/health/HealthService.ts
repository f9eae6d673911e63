import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ArchonHealthResponse,
  ArchonSystemHealth,
} from '@archon/plugin-archon-common';
import type { ArchonHealthProbe } from '@archon/plugin-archon-node';

/**
 * Runs every registered system probe in parallel, each under its own time
 * limit, and reports per-system status. A system that is down is a result,
 * never an exception: the health endpoint must answer even when everything
 * it watches is gone.
 */
export class HealthService {
  readonly #probes: ArchonHealthProbe[];
  readonly #timeoutMs: number;
  readonly #logger: LoggerService;

  constructor(options: {
    probes: ArchonHealthProbe[];
    timeoutMs: number;
    logger: LoggerService;
  }) {
    this.#probes = options.probes;
    this.#timeoutMs = options.timeoutMs;
    this.#logger = options.logger;
  }

  async check(filter?: { kinds?: string[] }): Promise<ArchonHealthResponse> {
    const probes = filter?.kinds?.length
      ? this.#probes.filter(p => filter.kinds!.includes(p.kind))
      : this.#probes;
    const systems = await Promise.all(probes.map(p => this.#run(p)));
    return {
      status: systems.every(s => s.status === 'up') ? 'up' : 'degraded',
      checkedAt: new Date().toISOString(),
      systems,
    };
  }

  async #run(probe: ArchonHealthProbe): Promise<ArchonSystemHealth> {
    const started = Date.now();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const base = { kind: probe.kind, name: probe.name, endpoint: probe.endpoint };
    try {
      const result = await Promise.race([
        probe.probe({ signal: controller.signal }),
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => {
            controller.abort();
            reject(new Error(`no answer within ${this.#timeoutMs} ms`));
          }, this.#timeoutMs);
        }),
      ]);
      return {
        ...base,
        status: 'up',
        version: result.version,
        details: result.details,
        latencyMs: Date.now() - started,
      };
    } catch (error) {
      const message = oneLine(error);
      this.#logger.debug(`${probe.kind} ${probe.name} is down: ${message}`);
      return {
        ...base,
        status: 'down',
        error: message,
        latencyMs: Date.now() - started,
      };
    } finally {
      clearTimeout(timer);
    }
  }
}

function oneLine(error: unknown): string {
  const text =
    error instanceof Error ? error.message || error.name : String(error);
  return text.split('\n')[0];
}
