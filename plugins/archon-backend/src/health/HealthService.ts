import { InputError } from '@backstage/errors';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type {
  ArchonHealthResponse,
  ArchonSystemHealth,
} from '@archon/plugin-archon-common';
import type { ArchonHealthProbe } from '@archon/plugin-archon-node';

/** One probe's last result, when it ran, and since when the system has had its status. */
interface LastResult {
  health: ArchonSystemHealth;
  checkedAt: number;
  /** The first probe of the current streak of this status. */
  since: number;
  /** True when that first probe was this backend's first of the system: the state may be older. */
  sinceFirstProbe: boolean;
}

/**
 * Probes every registered system in the background, each on its own loop,
 * and answers `/health` from the last results with their age, so the
 * endpoint costs nothing and never waits on a frozen system. `fresh` probes
 * live (and refreshes the results). A system is `up` or `unreachable` (the
 * probe failed, or got no answer within `timeoutMs`); that is a result,
 * never an exception: the endpoint answers even when everything it watches
 * is gone. Each result carries `since`: the first probe of the current
 * streak of its status (a live probe counts too), so "unreachable since
 * 09:12" stays put while the system stays down; the first streak says that
 * what came before archon's first probe is unknown.
 *
 * Each probe's verdict is due one interval after the previous probe
 * started: the next probe starts `intervalMs - timeoutMs` after the last
 * one did, so a system that freezes right after answering turns
 * `unreachable` within one interval, not an interval plus the timeout.
 *
 * Plain timers, not the scheduler: every backend replica reports its own
 * view of the systems (a replica cut off from Kafka must say so), so each
 * replica probes for itself.
 */
export class HealthService {
  readonly #probes: ArchonHealthProbe[];
  /** The kinds of system probed, for telling a misspelt `kind` from one with no system. */
  readonly #kinds: string[];
  readonly #timeoutMs: number;
  readonly #intervalMs: number;
  readonly #logger: LoggerService;
  readonly #last = new Map<ArchonHealthProbe, LastResult>();
  /** The probe currently running per system, so a request can wait for the first one. */
  readonly #running = new Map<ArchonHealthProbe, Promise<LastResult>>();
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = false;

  constructor(options: {
    probes: ArchonHealthProbe[];
    timeoutMs: number;
    logger: LoggerService;
    /** Between two background probes of one system. Default 10 s. */
    intervalMs?: number;
  }) {
    this.#probes = options.probes;
    this.#kinds = [...new Set(options.probes.map(p => p.kind))];
    this.#intervalMs = options.intervalMs ?? 10_000;
    // At most half the interval, so probes still leave the system half of
    // each interval alone; results are at most one interval old.
    this.#timeoutMs = Math.min(options.timeoutMs, this.#intervalMs / 2);
    this.#logger = options.logger;
  }

  get intervalMs(): number {
    return this.#intervalMs;
  }

  /** Starts the background probes (the first run of each is immediate). */
  start() {
    for (const probe of this.#probes) this.#loop(probe);
  }

  stop() {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }

  async check(filter?: {
    kinds?: string[];
    fresh?: boolean;
  }): Promise<ArchonHealthResponse> {
    const known = this.#kinds;
    const unknown = (filter?.kinds ?? []).filter(k => !known.includes(k));
    if (unknown.length > 0) {
      // A misspelt kind would otherwise answer "up" with no system at all.
      throw new InputError(
        `"kind" ${unknown
          .map(k => `"${k}"`)
          .join(
            ', ',
          )} is not a kind of system archon checks; the kinds are ${known.join(
          ', ',
        )}`,
      );
    }
    const probes = filter?.kinds?.length
      ? this.#probes.filter(p => filter.kinds!.includes(p.kind))
      : this.#probes;
    const results = await Promise.all(
      probes.map(p => (filter?.fresh ? this.#probe(p) : this.#lastOf(p))),
    );
    const now = Date.now();
    const systems = results.map(r => ({
      ...r.health,
      checkedAt: new Date(r.checkedAt).toISOString(),
      ageMs: Math.max(0, now - r.checkedAt),
      since: new Date(r.since).toISOString(),
      ...(r.sinceFirstProbe && {
        sinceUnknownBefore: `archon's first probe of this system was at ${new Date(
          r.since,
        ).toISOString()}; its state before is unknown`,
      }),
    }));
    const oldest = results.length
      ? Math.min(...results.map(r => r.checkedAt))
      : now;
    return {
      status: systems.every(s => s.status === 'up') ? 'up' : 'degraded',
      checkedAt: new Date(oldest).toISOString(),
      live: !!filter?.fresh,
      intervalSeconds: this.#intervalMs / 1000,
      systems,
    };
  }

  /** The last result, or (before the first one, or when background probing is off) the one being made. */
  #lastOf(probe: ArchonHealthProbe): Promise<LastResult> {
    const last = this.#last.get(probe);
    if (last) return Promise.resolve(last);
    return this.#running.get(probe) ?? this.#probe(probe);
  }

  #loop(probe: ArchonHealthProbe) {
    if (this.#stopped) return;
    const started = Date.now();
    this.#probe(probe).finally(() => {
      if (this.#stopped) return;
      const timer = setTimeout(() => {
        this.#timers.delete(timer);
        this.#loop(probe);
      }, Math.max(0, this.#intervalMs - this.#timeoutMs - (Date.now() - started)));
      timer.unref();
      this.#timers.add(timer);
    });
  }

  /** Runs one probe (sharing a run already under way) and records its result. */
  #probe(probe: ArchonHealthProbe): Promise<LastResult> {
    const running = this.#running.get(probe);
    if (running) return running;
    const run = this.#run(probe).then(health => {
      const checkedAt = Date.now();
      const last = this.#last.get(probe);
      const previous = last?.health.status;
      // The streak goes on while the status stays; a change starts a new one
      // at this probe, so `since` never moves while the state does not.
      const result: LastResult =
        last && previous === health.status
          ? { ...last, health, checkedAt }
          : {
              health,
              checkedAt,
              since: checkedAt,
              sinceFirstProbe: !last,
            };
      if (previous && previous !== health.status) {
        this.#logger.info(
          `${probe.kind} ${probe.name} is ${health.status}${
            health.error ? `: ${health.error}` : ''
          }`,
        );
      }
      this.#last.set(probe, result);
      this.#running.delete(probe);
      return result;
    });
    this.#running.set(probe, run);
    return run;
  }

  async #run(probe: ArchonHealthProbe): Promise<ArchonSystemHealth> {
    const started = Date.now();
    const controller = new AbortController();
    let timer: NodeJS.Timeout | undefined;
    const base = {
      kind: probe.kind,
      name: probe.name,
      endpoint: probe.endpoint,
    };
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
      this.#logger.debug(
        `${probe.kind} ${probe.name} is unreachable: ${message}`,
      );
      return {
        ...base,
        status: 'unreachable',
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
