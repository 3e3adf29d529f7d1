// A Jest reporter that ends every run with one block: the counts, each stage's duration if the caller names it
// (MNIS_TEST_BLOCK), and every skipped test with its reason (the text in brackets that the skip helpers add to the name).
class SummaryReporter {
  constructor(globalConfig) {
    this.globalConfig = globalConfig;
    this.skipped = [];
  }

  onTestResult(test, result) {
    for (const t of result.testResults) {
      if (t.status !== 'pending' && t.status !== 'skipped' && t.status !== 'todo') continue;
      const reason = /\[SKIPPED: ([^\]]+)\]/.exec(t.title)?.[1] ?? 'no reason given in the test name';
      this.skipped.push({
        file: result.testFilePath.replace(`${this.globalConfig.rootDir}/`, ''),
        name: [...t.ancestorTitles, t.title.replace(/\s*\[SKIPPED: [^\]]+\]/, '')].join(' › '),
        reason,
      });
    }
  }

  onRunComplete(_contexts, results) {
    const block = process.env.MNIS_TEST_BLOCK || 'jest';
    const seconds = ((Date.now() - results.startTime) / 1000).toFixed(1);
    const lines = [
      '',
      `==== test summary [${block}] ====`,
      `suites: ${results.numPassedTestSuites} passed, ${results.numFailedTestSuites} failed, ${results.numPendingTestSuites} skipped, ${results.numTotalTestSuites} total`,
      `tests:  ${results.numPassedTests} passed, ${results.numFailedTests} failed, ${results.numPendingTests + results.numTodoTests} skipped, ${results.numTotalTests} total`,
      `time:   ${seconds} s`,
      `skipped tests: ${this.skipped.length}`,
      ...this.skipped.map((s) => `  - ${s.file}: ${s.name}\n      reason: ${s.reason}`),
      `==== end of test summary [${block}] ====`,
      '',
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
  }
}

module.exports = SummaryReporter;
