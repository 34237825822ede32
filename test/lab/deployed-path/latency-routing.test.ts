import type { LatencyRecord } from '../../../tools/lab/deployed-path/latency-records';
import { latencyAnswer } from '../../../tools/lab/deployed-path/latency-routing';

const record = (region: string, evaluateTargetHealth = true): LatencyRecord => ({
  region,
  setIdentifier: region,
  name: 'turn.example.org.',
  hostedZoneId: 'Z0TEST',
  loadBalancer: 'Nlb',
  evaluateTargetHealth,
});

const EAST = record('us-east-1');
const WEST = record('us-west-2');
const latency = { 'us-east-1': 80, 'us-west-2': 15 };
const regionOf = (answer: ReturnType<typeof latencyAnswer>) =>
  answer.kind === 'answer' ? answer.record.region : 'none';

test('answers with the lowest-latency region when all are healthy, whatever the order of the records', () => {
  const healthy = { 'us-east-1': true, 'us-west-2': true };
  expect(regionOf(latencyAnswer([EAST, WEST], latency, healthy))).toBe('us-west-2');
  expect(regionOf(latencyAnswer([WEST, EAST], latency, healthy))).toBe('us-west-2');
  expect(latencyAnswer([EAST, WEST], latency, healthy)).toMatchObject({
    why: 'nearest healthy record: us-west-2 (15 ms, load balancer healthy)',
  });
});

test('skips the nearest region when its load balancer is unhealthy and the record evaluates target health', () => {
  const answer = latencyAnswer([EAST, WEST], latency, { 'us-east-1': true, 'us-west-2': false });
  expect(regionOf(answer)).toBe('us-east-1');
  expect(answer.why).toMatch(/skipped us-west-2 \(15 ms, load balancer unhealthy\)/);
});

test('keeps answering with an unhealthy region whose record has EvaluateTargetHealth false', () => {
  const answer = latencyAnswer([EAST, record('us-west-2', false)], latency, { 'us-east-1': true, 'us-west-2': false });
  expect(regionOf(answer)).toBe('us-west-2');
  expect(answer.why).toMatch(/load balancer unhealthy, EvaluateTargetHealth false: its health is ignored/);
});

test('with no healthy record, answers as if all were healthy (the nearest), as Route 53 does', () => {
  const answer = latencyAnswer([EAST, WEST], latency, { 'us-east-1': false, 'us-west-2': false });
  expect(regionOf(answer)).toBe('us-west-2');
  expect(answer.why).toMatch(/no record is healthy, so Route 53 answers as if all were/);
});

test('a tie goes to the record listed first', () => {
  const tied = { 'us-east-1': 20, 'us-west-2': 20 };
  const healthy = { 'us-east-1': true, 'us-west-2': true };
  expect(regionOf(latencyAnswer([WEST, EAST], tied, healthy))).toBe('us-west-2');
  expect(regionOf(latencyAnswer([EAST, WEST], tied, healthy))).toBe('us-east-1');
});

test('no record: nothing answers', () => {
  expect(latencyAnswer([], latency, {})).toEqual({ kind: 'none', why: 'no latency record under the relay name' });
});

test('fails closed on a region with no latency or no health', () => {
  expect(() => latencyAnswer([EAST, WEST], { 'us-east-1': 80 }, { 'us-east-1': true, 'us-west-2': true })).toThrow(
    /no latency for relay region us-west-2/,
  );
  expect(() => latencyAnswer([EAST], { 'us-east-1': Number.NaN }, { 'us-east-1': true })).toThrow(/no latency/);
  expect(() => latencyAnswer([EAST, WEST], latency, { 'us-east-1': true })).toThrow(
    /no load-balancer health for relay region us-west-2/,
  );
});
