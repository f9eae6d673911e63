/**
 * Marathon versions are ISO-8601 UTC timestamps with milliseconds. Two changes in the
 * same millisecond must still get distinct, increasing versions (versions are keys in
 * the version history), so the clock never hands out the same instant twice.
 */
export class VersionClock {
  private lastMillis = 0;

  now(): string {
    let millis = Date.now();
    if (millis <= this.lastMillis) millis = this.lastMillis + 1;
    this.lastMillis = millis;
    return new Date(millis).toISOString();
  }

  /** Called with persisted versions so that versions created after a restart sort after them. */
  observe(isoTimestamp: string): void {
    const millis = Date.parse(isoTimestamp);
    if (Number.isFinite(millis) && millis > this.lastMillis)
      this.lastMillis = millis;
  }
}

export function isoNow(): string {
  return new Date().toISOString();
}

export function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms));
}
