/**
 * With `--parallel`, tests run in worker processes while the end-of-run summary is printed by the
 * main process (Mocha's global teardown runs there only). Workers inherit the main process's
 * environment when the pool starts, after global setup; core's summary relay does the rest.
 */
export const RELAY_ENV_VARIABLE = 'LOOSE_ENDS_MOCHA_SUMMARY_DIR';
