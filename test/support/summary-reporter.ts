import type { Reporter, TestModule } from 'vitest/node';

// Prints the plain closing line ("N passed, N failed, N skipped") that CI reads to know tests really ran.
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const testModule of testModules) {
      for (const testCase of testModule.children.allTests()) {
        const state = testCase.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failed += 1;
        else skipped += 1;
      }
      if (testModule.state() === 'failed' && [...testModule.children.allTests()].length === 0) failed += 1;
    }
    process.stdout.write(`\nwarden: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
