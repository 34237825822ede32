import * as fs from 'node:fs';
import * as path from 'node:path';
import type { PathResult } from '../../../lib/compliance/paths';
import type { Json, StackDoc, TemplateSet } from '../../../lib/compliance/paths/template-set';

export type FixtureName =
  | 'relay-noncompliant'
  | 'relay-compliant'
  | 'alarm-topic-noncompliant'
  | 'alarm-topic-compliant'
  | 'log-delivery-compliant';

/** A fixture as a mutable template set (a fresh copy per call, so tests can mutate it). */
export function fixture(
  name: FixtureName,
): TemplateSet & { stacks: Array<StackDoc & { resources: Record<string, Json> }> } {
  const raw = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', `${name}.json`), 'utf8'));
  return { stacks: raw.stacks.map((s: Json) => ({ templatePath: '', ...s })) };
}

export function props(set: TemplateSet, stackId: string, logicalId: string): Record<string, Json> {
  const resource = set.stacks.find((s) => s.stackId === stackId)!.resources[logicalId] as Json;
  resource.Properties ??= {};
  return resource.Properties;
}

/** `hop name -> verdict` for one path, in order. */
export function verdicts(result: PathResult | undefined): Array<[string, string]> {
  if (!result) throw new Error('no such path');
  return result.hops.map((hop) => [hop.name, hop.verdict]);
}

export function hop(result: PathResult | undefined, name: string) {
  const found = result?.hops.find((h) => h.name === name);
  if (!found) throw new Error(`no hop ${name} in ${result?.title}`);
  return found;
}
