import type { Reporter, TestModule } from 'vitest/node';

// Prints the plain closing line ("N passed, N failed, N skipped") that CI reads to know tests really ran.
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    for (const testModule of testModules) {
      let failedInModule = 0;
      for (const testCase of testModule.children.allTests()) {
        const state = testCase.result().state;
        if (state === 'passed') passed += 1;
        else if (state === 'failed') failedInModule += 1;
        else skipped += 1;
      }
      // A file that failed outside its tests (a hook, an import) counts as one failure, never as a quiet skip.
      failed += testModule.state() === 'failed' && failedInModule === 0 ? 1 : failedInModule;
    }
    process.stdout.write(`\nwarden: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}
