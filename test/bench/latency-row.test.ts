import { latencyRow } from '../../scripts/bench/external-bench';

const output = [
  'node v20.20.2, 100 clients, 20 signals each, DynamoDB Local 3.3.1 (its own JVM) on 127.0.0.1, rate limits on',
  'join    n=300 p50=18.83 ms p90=36.48 ms p99=75.86 ms max=76.59 ms',
  'signal  n=6000 p50=4.61 ms p90=10.69 ms p99=14.99 ms max=47.10 ms',
  '  of which start delay (timers, event loop) n=6300 p50=0.70 ms p90=2.23 ms p99=6.65 ms max=14.17 ms',
  'handler CPU per message: 1.23 ms',
  'DynamoDB requests per message: join 4.02, signal 2.00',
].join('\n');

describe('the signaling summary row', () => {
  test('takes p50 and p99, requests per message and handler CPU from the bench output, and judges each route against its goal', () => {
    expect(latencyRow('DynamoDB Local, paced', output, true)).toBe(
      '| DynamoDB Local, paced | 18.8 ms | 75.9 ms | 4.6 ms | 15.0 ms | 4.02 / 2.00 | 1.23 ms | join not met (<= 25 ms), signal met (<= 15 ms) |',
    );
  });

  test('judges exactly the goal as met and anything above as not met, per route (join 25 ms, signal 15 ms)', () => {
    const at = output.replace('p99=75.86', 'p99=25.00').replace('p99=14.99', 'p99=15.01');
    expect(latencyRow('x', at, true)).toContain('join met (<= 25 ms), signal not met (<= 15 ms)');
  });

  test('says a caveat beside the verdict, so a row we do not ship cannot read as a plain pass', () => {
    expect(latencyRow('limits off', output, true, 'not the shipped configuration')).toContain(
      '| join not met (<= 25 ms), signal met (<= 15 ms) (not the shipped configuration) |',
    );
  });

  test('gives no verdict for loads the goals do not name, and says when there was no database', () => {
    const memory = output.replace(/^DynamoDB requests.*$/m, '');
    expect(latencyRow('one call alone', memory, false)).toContain(
      "| none (no database) | 1.23 ms | not the goals' load |",
    );
  });

  test('refuses an output without a route line instead of printing a row of blanks', () => {
    expect(() => latencyRow('broken', output.replace(/^signal .*$/m, ''), true)).toThrow(/has no signal line/);
  });

  test('does not read the start-delay line as a route', () => {
    const onlyDelay = output.replace(/^join .*$/m, '');
    expect(() => latencyRow('broken', onlyDelay, true)).toThrow(/has no join line/);
  });
});
