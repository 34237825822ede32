import { namespaceEntries, namespaceOf } from './namespaces';
import { readDataTsv } from './tsv';

/**
 * Decisions made type by type, for namespaces whose list entry covers some of their types and not others (decision
 * `by-type` in data/cfn-namespaces.tsv). Each row carries the day it was decided and the evidence it rests on, so a
 * reviewer can check it against the AWS page it cites (docs/eligibility-list.md, "Dated decisions").
 */
export type TypeDecisionValue = 'eligible' | 'not-eligible';

export interface TypeDecision {
  readonly type: string;
  readonly decision: TypeDecisionValue;
  /** The day the decision was made (ISO date). */
  readonly decided: string;
  /** What the type is, in a few words, for the one-line reason. */
  readonly summary: string;
  /** The evidence the decision rests on, with the AWS page it cites. */
  readonly evidence: string;
}

const VALUES: readonly TypeDecisionValue[] = ['eligible', 'not-eligible'];

/** Turns data rows into decisions, enforcing the data's invariants. Exported for tests of those invariants. */
export function parseTypeDecisionRows(
  rows: ReadonlyArray<Record<string, string>>,
  namespaceDecision: (namespace: string) => string | undefined,
): ReadonlyMap<string, TypeDecision> {
  const decisions = new Map<string, TypeDecision>();
  for (const row of rows) {
    const where = `cfn-type-decisions.tsv: ${row.type}`;
    if (decisions.has(row.type)) throw new Error(`${where}: decided twice`);
    const decision = row.decision as TypeDecisionValue;
    if (!VALUES.includes(decision)) throw new Error(`${where}: bad decision ${row.decision}`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(row.decided))
      throw new Error(`${where}: decided must be a date, not ${row.decided}`);
    if (row.evidence.length < 40 || !/https:\/\/docs\.aws\.amazon\.com\//.test(row.evidence))
      throw new Error(`${where}: a decision needs its evidence, citing the AWS documentation`);
    if (row.summary.length < 10) throw new Error(`${where}: a decision needs a summary`);
    const namespace = namespaceOf(row.type) ?? row.type;
    // A type decision only means something in a namespace that is decided by type; elsewhere it would be dead data
    // that a reader could mistake for the verdict.
    if (namespaceDecision(namespace) !== 'by-type') throw new Error(`${where}: ${namespace} is not decided by type`);
    decisions.set(row.type, {
      type: row.type,
      decision,
      decided: row.decided,
      summary: row.summary,
      evidence: row.evidence,
    });
  }
  return decisions;
}

let cache: ReadonlyMap<string, TypeDecision> | undefined;

/** Every type-level decision, keyed by resource type. */
export function typeDecisions(): ReadonlyMap<string, TypeDecision> {
  cache ??= parseTypeDecisionRows(
    readDataTsv('cfn-type-decisions.tsv'),
    (namespace) => namespaceEntries().get(namespace)?.decision,
  );
  return cache;
}
