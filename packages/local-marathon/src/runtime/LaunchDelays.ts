import { AppDefinition } from '../model/types';

interface Delay {
  /** Delays belong to one app configuration (server: RunSpecConfigRef). */
  configRef: string;
  referenceMs: number;
  currentMs: number;
  maxMs: number;
}

function configRefOf(app: AppDefinition): string {
  return `${app.id}@${app.versionInfo.lastConfigChangeAt}`;
}

/**
 * Launch back-off per app (server: RateLimiter). A failed or finished task starts or
 * grows the delay (`backoffSeconds` * `backoffFactor`^n, capped at
 * `maxLaunchDelaySeconds`); a task reaching staging/running moves the reference time
 * forward; a delay is forgotten once `maxLaunchDelaySeconds` passed since its reference,
 * on a config change, when a deployment resets it, or by DELETE /v2/queue/{app}/delay.
 */
export class LaunchDelays {
  private readonly delays = new Map<string, Delay>();

  increase(app: AppDefinition): void {
    const existing = this.current(app);
    const maxMs = app.maxLaunchDelaySeconds * 1000;
    const currentMs = existing
      ? Math.min(existing.currentMs * app.backoffFactor, maxMs)
      : Math.min(app.backoffSeconds * 1000, maxMs);
    this.delays.set(app.id, {
      configRef: configRefOf(app),
      referenceMs: Date.now(),
      currentMs,
      maxMs,
    });
  }

  advance(app: AppDefinition): void {
    const existing = this.current(app);
    if (existing) existing.referenceMs = Date.now();
  }

  reset(appId: string): void {
    this.delays.delete(appId);
  }

  /** Milliseconds until the next launch is allowed (0 when not delayed). */
  remainingMs(app: AppDefinition): number {
    const delay = this.current(app);
    if (!delay) return 0;
    return Math.max(0, delay.referenceMs + delay.currentMs - Date.now());
  }

  private current(app: AppDefinition): Delay | undefined {
    const delay = this.delays.get(app.id);
    if (!delay) return undefined;
    const overdue = Date.now() > delay.referenceMs + delay.maxMs;
    if (delay.configRef !== configRefOf(app) || overdue) {
      this.delays.delete(app.id);
      return undefined;
    }
    return delay;
  }
}
