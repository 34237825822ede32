/**
 * Shows what a list refresh changes: namespaces added, removed, or with a different decision, between a git revision
 * (default HEAD) and the working copy of lib/compliance/eligibility/data/cfn-namespaces.tsv.
 * Usage: npx tsx scripts/eligibility-diff.ts [--base <git revision>]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const DATA = 'lib/compliance/eligibility/data/cfn-namespaces.tsv';

function decisions(text: string): Map<string, string> {
  const [header, ...lines] = text.split('\n').filter(Boolean);
  const columns = header.split('\t');
  const ns = columns.indexOf('namespace');
  const decision = columns.indexOf('decision');
  return new Map(lines.map((line) => line.split('\t')).map((cells) => [cells[ns], cells[decision]]));
}

const { values } = parseArgs({ options: { base: { type: 'string', default: 'HEAD' } } });
const root = path.resolve(__dirname, '..');
const before = decisions(execFileSync('git', ['show', `${values.base}:${DATA}`], { cwd: root, encoding: 'utf8' }));
const after = decisions(fs.readFileSync(path.join(root, DATA), 'utf8'));

const lines: string[] = [];
for (const [namespace, decision] of after) {
  const old = before.get(namespace);
  if (old === undefined) lines.push(`+ ${namespace}: ${decision}`);
  else if (old !== decision) lines.push(`~ ${namespace}: ${old} -> ${decision}`);
}
for (const namespace of before.keys()) if (!after.has(namespace)) lines.push(`- ${namespace}: removed`);
console.log(lines.length ? lines.sort().join('\n') : `no decision changes against ${values.base}`);
