import { latencyRow } from '../../scripts/bench/external-bench';

const output = [
  'node v20.20.2, 100 clients, 20 signals each, dynalite in a child process on 127.0.0.1, rate limits on',
  'join    n=300 p50=18.83 ms p90=36.48 ms p99=75.86 ms max=76.59 ms',
  'signal  n=6000 p50=4.61 ms p90=10.69 ms p99=19.99 ms max=47.10 ms',
  '  of which start delay (timers, event loop) n=6300 p50=0.70 ms p90=2.23 ms p99=6.65 ms max=14.17 ms',
].join('\n');

describe('the signaling summary row', () => {
  test('takes p50 and p99 of each route from the bench output and judges them against the 20 ms goal', () => {
    expect(latencyRow('dynalite, paced', output, true)).toBe(
      '| dynalite, paced | 18.8 ms | 75.9 ms | 4.6 ms | 20.0 ms | join not met, signal met |',
    );
  });

  test('judges exactly 20 ms as met and anything above as not met', () => {
    const at = output.replace('p99=75.86', 'p99=20.00').replace('p99=19.99', 'p99=20.01');
    expect(latencyRow('x', at, true)).toContain('join met, signal not met');
  });

  test('says a caveat beside the verdict, so a row we do not ship cannot read as a plain pass', () => {
    expect(latencyRow('limits off', output, true, 'not the shipped configuration')).toContain(
      '| join not met, signal met (not the shipped configuration) |',
    );
  });

  test('gives no verdict for loads the goal does not name', () => {
    expect(latencyRow('one call alone', output, false)).toContain("| not the goal's load |");
  });

  test('refuses an output without a route line instead of printing a row of blanks', () => {
    expect(() => latencyRow('broken', output.replace(/^signal .*$/m, ''), true)).toThrow(/has no signal line/);
  });

  test('does not read the start-delay line as a route', () => {
    const onlyDelay = output.replace(/^join .*$/m, '');
    expect(() => latencyRow('broken', onlyDelay, true)).toThrow(/has no join line/);
  });
});
