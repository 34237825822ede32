import type { ResourceId } from './template-set';

/** The three rules of the paths pack. Never rename: findings and the report name them. */
export const PATH_RULES = {
  ice: 'HipaaRtcPaths-IceReachability',
  notifications: 'HipaaRtcPaths-NotificationDelivery',
  logDelivery: 'HipaaRtcPaths-LogAndEvidenceDelivery',
} as const;
export type PathRuleId = (typeof PATH_RULES)[keyof typeof PATH_RULES];

/**
 * HIPAA Security Rule safeguards each rule protects (45 CFR): a relay that cannot be reached makes the service
 * unavailable (contingency, 164.308(a)(7)) and pushes clients off the encrypted TURN paths (transmission security,
 * 164.312(e)(1)); a security alarm that cannot notify defeats activity review and incident response
 * (164.308(a)(1)(ii)(D), 164.308(a)(6)); a log that cannot be delivered is an audit control that records nothing
 * (164.312(b)).
 */
export const PATH_RULE_CONTROLS: Readonly<Record<PathRuleId, readonly string[]>> = {
  [PATH_RULES.ice]: ['164.308(a)(7)', '164.312(e)(1)'],
  [PATH_RULES.notifications]: ['164.308(a)(1)(ii)(D)', '164.308(a)(6)'],
  [PATH_RULES.logDelivery]: ['164.312(b)'],
};

/**
 * - pass: the templates prove the hop connects.
 * - fail: the templates prove it does not (or cannot show it does): synth fails.
 * - assumed: the hop depends on something outside the templates (a DNS record); not provable locally.
 * - not-applicable: the path does not exist in this deployment (e.g. NLB access logs not enabled); said, not hidden.
 * - not-reached: an earlier hop failed, so this one was not evaluated.
 */
export type HopVerdict = 'pass' | 'fail' | 'assumed' | 'not-applicable' | 'not-reached';

export interface Hop {
  /** Short name of the hop, e.g. "listener" or "topic policy". */
  readonly name: string;
  readonly verdict: HopVerdict;
  /** What was found, in a reviewer's words. */
  readonly detail: string;
  /** What to do when the hop fails. */
  readonly fix?: string;
  /** The resource the hop is about (named in findings). */
  readonly resource?: ResourceId;
  /** What the hop arrives at, as a diagram node (e.g. `listener TLS 443`); hops without one are checks, not places. */
  readonly node?: string;
}

export interface PathResult {
  readonly rule: PathRuleId;
  /** Human name of the path, e.g. `turn:turn.example.org:3478?transport=udp`. */
  readonly title: string;
  readonly hops: readonly Hop[];
}

export function pathFails(path: PathResult): boolean {
  return path.hops.some((hop) => hop.verdict === 'fail');
}

/**
 * Builds a hop list. A structural hop (finding the next resource) stops the evaluation when it fails: later hops are
 * listed as not reached. A non-structural hop (a rule on a resource already found) is reported and evaluation goes
 * on, so one run names every broken hop of a path.
 */
export class HopList {
  private readonly hops: Hop[] = [];
  private blocked = false;

  public add(name: string, evaluate: () => Omit<Hop, 'name'>, structural = true): this {
    if (this.blocked) {
      this.hops.push({ name, verdict: 'not-reached', detail: 'not evaluated: an earlier hop fails' });
      return this;
    }
    const hop = { name, ...evaluate() };
    this.hops.push(hop);
    if (structural && hop.verdict === 'fail') this.blocked = true;
    return this;
  }

  public toArray(): Hop[] {
    return [...this.hops];
  }
}
