/**
 * The arrival plan of the signaling benchmark's paced mode: open-loop load, where each client sends on its own
 * schedule whatever the server's latency (unlike the burst mode, where everyone sends at once and waits for the
 * answer). Seeded, so two runs offer exactly the same load.
 *
 * Model: clients are paired into calls. A call starts at a uniformly random moment within the ramp, when both of
 * its clients send `join`. Once both have joined, each client sends its signals as a Poisson stream at `ratePerSecond`
 * (exponential gaps), the way a browser trickles ICE candidates during call setup.
 */

/** mulberry32: a small, fast, seedable PRNG (not for anything secret). Returns numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface PacedPlanOptions {
  /** Even: clients are paired into calls. */
  readonly clients: number;
  readonly signalsPerClient: number;
  /** Mean signals per second per client once its call is set up. */
  readonly ratePerSecond: number;
  /** Calls start uniformly within this many seconds. */
  readonly rampSeconds: number;
  readonly seed: number;
}

export interface PacedPlan {
  /** Start of call k (clients 2k and 2k+1), in ms from the start of the run. */
  readonly callStartsMs: readonly number[];
  /** For client i, the gaps (ms) before each of its signals; the first counts from when both peers have joined. */
  readonly signalGapsMs: readonly (readonly number[])[];
}

export function pacedPlan(options: PacedPlanOptions): PacedPlan {
  const { clients, signalsPerClient, ratePerSecond, rampSeconds, seed } = options;
  if (!Number.isInteger(clients) || clients < 2 || clients % 2 !== 0) {
    throw new Error(`clients is ${clients}; use an even number of at least 2 (clients are paired into calls)`);
  }
  if (!(ratePerSecond > 0)) throw new Error(`rate is ${ratePerSecond}; use a positive number of signals per second`);
  if (!(rampSeconds >= 0)) throw new Error(`ramp is ${rampSeconds}; use zero or more seconds`);
  if (!Number.isInteger(signalsPerClient) || signalsPerClient < 0) {
    throw new Error(`signals is ${signalsPerClient}; use a whole number`);
  }
  const random = seededRandom(seed);
  const callStartsMs = Array.from({ length: clients / 2 }, () => random() * rampSeconds * 1000);
  // Inverse-CDF sampling of the exponential distribution; 1 - random() is in (0, 1], so the log is finite.
  const gap = () => (-Math.log(1 - random()) / ratePerSecond) * 1000;
  const signalGapsMs = Array.from({ length: clients }, () => Array.from({ length: signalsPerClient }, gap));
  return { callStartsMs, signalGapsMs };
}
