// A final summary after the list reporter: how many passed / failed / flaky / skipped, which failed, and time.
import type { FullResult, Reporter, Suite, TestCase } from '@playwright/test/reporter';

export default class SummaryReporter implements Reporter {
  private root: Suite | null = null;
  private t0 = Date.now();

  printsToStdio(): boolean {
    return false; // the list reporter owns stdout; this only appends a summary
  }

  onBegin(_config: unknown, suite: Suite): void {
    this.root = suite;
    this.t0 = Date.now();
  }

  onEnd(result: FullResult): void {
    const tests: TestCase[] = this.root?.allTests() ?? [];
    const c = { passed: 0, failed: 0, flaky: 0, skipped: 0 };
    const failed: string[] = [];
    for (const t of tests) {
      const o = t.outcome();
      if (o === 'expected') c.passed++;
      else if (o === 'flaky') c.flaky++;
      else if (o === 'skipped') c.skipped++;
      else {
        c.failed++;
        failed.push(t.titlePath().filter(Boolean).slice(1).join(' › '));
      }
    }
    const secs = ((Date.now() - this.t0) / 1000).toFixed(1);
    const lines = [
      '',
      `Wirelens e2e summary: ${result.status.toUpperCase()} — ${c.passed} passed, ${c.failed} failed, ${c.flaky} flaky, ${c.skipped} skipped (${tests.length} tests, ${secs} s)`,
      ...failed.map((f) => `  ✘ ${f}`),
      '',
    ];
    process.stdout.write(lines.join('\n'));
  }
}
