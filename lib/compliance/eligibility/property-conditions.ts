import { readDataTsv } from './tsv';
import { typeDecisions } from './type-decisions';

/**
 * Property-level conditions: for a type decided `by-property` (data/cfn-type-decisions.tsv), which values of which
 * properties the list covers (data/cfn-property-conditions.tsv), e.g. the Engine of an RDS DB instance. Every
 * property named for a type must pass; a value the data does not name fails closed, and so does a value the judge
 * cannot resolve from the template (an import, a parameter without AllowedValues). Values compare case-insensitively,
 * as RDS treats engine names.
 */
export interface PropertyValueDecision {
  readonly type: string;
  readonly property: string;
  /** The value as the data writes it; ABSENT for "the property is not set". */
  readonly value: string;
  readonly eligible: boolean;
  readonly decided: string;
  readonly summary: string;
  readonly evidence: string;
}

/** How the data writes "the property is not set". */
export const ABSENT = '-';

export interface PropertyCondition {
  readonly type: string;
  readonly property: string;
  /** Keyed by the lower-cased value (or ABSENT). */
  readonly values: ReadonlyMap<string, PropertyValueDecision>;
}

/** Turns data rows into conditions, enforcing the data's invariants. Exported for tests of those invariants. */
export function parsePropertyConditionRows(
  rows: ReadonlyArray<Record<string, string>>,
  isByProperty: (type: string) => boolean,
): ReadonlyMap<string, readonly PropertyCondition[]> {
  const byType = new Map<string, Map<string, Map<string, PropertyValueDecision>>>();
  for (const row of rows) {
    const where = `cfn-property-conditions.tsv: ${row.type}.${row.property}=${row.value}`;
    if (!isByProperty(row.type)) throw new Error(`${where}: ${row.type} is not decided by property`);
    if (row.decision !== 'eligible' && row.decision !== 'not-eligible')
      throw new Error(`${where}: bad decision ${row.decision}`);
    if (!/^\d{4}-\d{2}-\d{2}$/.test(row.decided)) throw new Error(`${where}: decided must be a date`);
    if (!/https:\/\/docs\.aws\.amazon\.com\//.test(row.evidence))
      throw new Error(`${where}: a decision needs its evidence, citing the AWS documentation`);
    if (!/^[A-Za-z0-9]+$/.test(row.property)) throw new Error(`${where}: not a property name`);
    if (row.value !== ABSENT && !/^[A-Za-z0-9._-]+$/.test(row.value)) throw new Error(`${where}: unexpected value`);
    const properties = byType.get(row.type) ?? new Map<string, Map<string, PropertyValueDecision>>();
    const values = properties.get(row.property) ?? new Map<string, PropertyValueDecision>();
    const key = row.value === ABSENT ? ABSENT : row.value.toLowerCase();
    if (values.has(key)) throw new Error(`${where}: decided twice`);
    values.set(key, {
      type: row.type,
      property: row.property,
      value: row.value,
      eligible: row.decision === 'eligible',
      decided: row.decided,
      summary: row.summary,
      evidence: row.evidence,
    });
    properties.set(row.property, values);
    byType.set(row.type, properties);
  }
  const conditions = new Map<string, PropertyCondition[]>();
  for (const [type, properties] of byType) {
    const list: PropertyCondition[] = [];
    for (const [property, values] of properties) {
      // Absence must be decided explicitly, so "not set" never falls through to a default verdict.
      if (!values.has(ABSENT)) throw new Error(`cfn-property-conditions.tsv: ${type}.${property}: absence not decided`);
      list.push({ type, property, values });
    }
    conditions.set(type, list);
  }
  return conditions;
}

let cache: ReadonlyMap<string, readonly PropertyCondition[]> | undefined;

/** Every property condition, keyed by resource type. */
export function propertyConditions(): ReadonlyMap<string, readonly PropertyCondition[]> {
  cache ??= parsePropertyConditionRows(
    readDataTsv('cfn-property-conditions.tsv'),
    (type) => typeDecisions().get(type)?.decision === 'by-property',
  );
  return cache;
}
