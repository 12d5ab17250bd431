// A Vitest reporter for scripts/demo.mjs: prints nothing, and writes the full names of the failed
// tests ("Suite > test") as JSON to the file named by LOOSE_ENDS_DEMO_FAILED. Vitest's own JSON
// reporter would add a line naming its file, which the demo deletes.
import { writeFileSync } from 'node:fs';

export default class FailedTestsReporter {
  failed = [];

  onTestCaseResult(testCase) {
    if (testCase.result().state === 'failed') this.failed.push(testCase.fullName);
  }

  onTestRunEnd() {
    writeFileSync(process.env.LOOSE_ENDS_DEMO_FAILED, JSON.stringify(this.failed));
  }
}
