/**
 * What counts as a bad start-up for coturn: coturn keeps running past unknown, malformed or deprecated options
 * (it only logs them), so the log is the only place a dropped control shows. Any of these lines fails the test.
 */
const PROBLEM =
  /Bad configuration format|Wrong address format|\bERROR\b|\bWARNING\b|deprecat|Aborting|error resolving/i;

export function startupLogProblems(log: string): string[] {
  return log.split('\n').filter((line) => PROBLEM.test(line));
}
