// Ends the run with the line CI readers look for: `e2e: N passed, M failed`
// (a test that passed on its retry counts as passed; an error outside the
// tests, e.g. in the global setup, counts as a failure).
import type {
  FullResult,
  Reporter,
  Suite,
  TestError,
} from '@playwright/test/reporter';
import { log } from './environment';

export default class SummaryReporter implements Reporter {
  private suite?: Suite;
  private errors = 0;

  onBegin(_config: unknown, suite: Suite) {
    this.suite = suite;
  }

  onError(_error: TestError) {
    this.errors += 1;
  }

  onEnd(result: FullResult) {
    // Only tests that ran are counted: `--list` leaves all without a result, a
    // failed dependency (the guest's sign-in) or an interrupted run some.
    const all = this.suite?.allTests() ?? [];
    const tests = all.filter(t => t.results.length);
    if (!tests.length && !this.errors && result.status === 'passed') return;
    const notRun = all.filter(t => !t.results.length);
    if (notRun.length)
      log(
        `${notRun.length} did not run: ${notRun.map(t => t.title).join(', ')}`,
      );
    const outcomes = tests.map(t => ({ title: t.title, outcome: t.outcome() }));
    const passed = outcomes.filter(
      t => t.outcome === 'expected' || t.outcome === 'flaky',
    ).length;
    const skipped = tests.filter(t => t.outcome() === 'skipped');
    for (const t of skipped) {
      const why = [
        ...t.annotations,
        ...t.results.flatMap(r => r.annotations),
      ].find(a => a.type === 'skip')?.description;
      log(`SKIP ${t.title}${why ? `: ${why}` : ''}`);
    }
    let failed = outcomes.filter(t => t.outcome === 'unexpected').length;
    failed += this.errors;
    // Interrupted or timed out as a whole without a failed test: still a failure.
    if (failed === 0 && result.status !== 'passed') failed = 1;
    log(`${passed} passed, ${failed} failed`);
  }

  printsToStdio() {
    return false;
  }
}
