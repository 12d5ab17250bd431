/**
 * Test files run in worker processes; the reporter runs in Jest's main process. The reporter
 * opens core's summary relay under this variable before Jest starts its workers (which inherit the
 * environment); each test file leaves its tally there when it ends.
 */
export const SUMMARY_DIR_VARIABLE = 'LOOSE_ENDS_JEST_SUMMARY_DIR';
