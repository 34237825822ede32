import { readDataTsv } from './tsv';

/**
 * How the project classifies a whole CloudFormation namespace (data/cfn-namespaces.tsv, column `decision`). `by-type`:
 * the list entry covers some of the namespace's types and not others, so each type is decided in
 * data/cfn-type-decisions.tsv with dated evidence, and a type without a row there fails closed.
 */
export type NamespaceDecision = 'eligible' | 'control-plane' | 'not-eligible' | 'by-type';

export interface NamespaceEntry {
  readonly namespace: string;
  readonly service: string;
  readonly decision: NamespaceDecision;
  /** The reference's own classification before the fail-closed decision (yes / no / control-plane). */
  readonly referenceClass: string;
  /**
   * The reference marked this row uncertain; hipaa-rtc then decides not-eligible (fail closed), or resolves the
   * uncertainty type by type (`by-type`) with evidence for each type.
   */
  readonly uncertain: boolean;
  readonly hipaaListEntry?: string;
  /** A condition the list attaches to the service (e.g. excluded sub-features), when there is one. */
  readonly condition?: string;
  readonly note: string;
}

const DECISIONS: readonly NamespaceDecision[] = ['eligible', 'control-plane', 'not-eligible', 'by-type'];

function conditionOf(note: string): string | undefined {
  const part = note.split(' | ').find((segment) => segment.startsWith('condition: '));
  return part?.slice('condition: '.length);
}

/** Turns data rows into entries, enforcing the data's invariants. Exported for tests of those invariants. */
export function parseNamespaceRows(rows: ReadonlyArray<Record<string, string>>): ReadonlyMap<string, NamespaceEntry> {
  const entries = new Map<string, NamespaceEntry>();
  for (const row of rows) {
    const decision = row.decision as NamespaceDecision;
    if (!DECISIONS.includes(decision))
      throw new Error(`cfn-namespaces.tsv: ${row.namespace}: bad decision ${decision}`);
    const uncertain = row.uncertain === 'yes';
    // The fail-closed rule is enforced on the data itself, so an edit cannot quietly allow an uncertain row: it is
    // refused whole, or resolved type by type, each type with its evidence (cfn-type-decisions.tsv).
    if (uncertain && decision !== 'not-eligible' && decision !== 'by-type') {
      throw new Error(
        `cfn-namespaces.tsv: ${row.namespace} is uncertain but decided ${decision}; uncertain rows fail closed or are decided by type`,
      );
    }
    entries.set(row.namespace, {
      namespace: row.namespace,
      service: row.service,
      decision,
      referenceClass: row.reference_class,
      uncertain,
      hipaaListEntry: row.hipaa_list_entry || undefined,
      condition: conditionOf(row.note),
      note: row.note,
    });
  }
  return entries;
}

let cache: ReadonlyMap<string, NamespaceEntry> | undefined;

/** Every namespace the data knows, keyed by `AWS::Service`. */
export function namespaceEntries(): ReadonlyMap<string, NamespaceEntry> {
  cache ??= parseNamespaceRows(readDataTsv('cfn-namespaces.tsv'));
  return cache;
}

/** `AWS::S3::Bucket` → `AWS::S3`; undefined when the type does not have the `Org::Service::Resource` shape. */
export function namespaceOf(type: string): string | undefined {
  const parts = type.split('::');
  return parts.length === 3 && parts.every((part) => part.length > 0) ? `${parts[0]}::${parts[1]}` : undefined;
}
