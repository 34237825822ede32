/**
 * Shows what a list refresh changes, between a git revision (default HEAD) and the working copy of the decision
 * data: namespaces (cfn-namespaces.tsv), types decided one by one (cfn-type-decisions.tsv) and property values
 * (cfn-property-conditions.tsv) added (+), removed (-) or with a different decision (~). A file the revision does not
 * have yet counts as empty.
 * Usage: npx tsx scripts/eligibility-diff.ts [--base <git revision>]
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

const DIR = 'lib/compliance/eligibility/data';
/** Each decision file, and the columns that together name one decision. */
const FILES: ReadonlyArray<{ readonly file: string; readonly key: readonly string[] }> = [
  { file: 'cfn-namespaces.tsv', key: ['namespace'] },
  { file: 'cfn-type-decisions.tsv', key: ['type'] },
  { file: 'cfn-property-conditions.tsv', key: ['type', 'property', 'value'] },
];

function decisions(text: string, key: readonly string[]): Map<string, string> {
  const [header, ...lines] = text.split('\n').filter(Boolean);
  if (!header) return new Map();
  const columns = header.split('\t');
  const keyAt = key.map((name) => columns.indexOf(name));
  const decision = columns.indexOf('decision');
  return new Map(
    lines.map((line) => line.split('\t')).map((cells) => [keyAt.map((i) => cells[i]).join(' '), cells[decision]]),
  );
}

function atRevision(revision: string, file: string, root: string): string {
  try {
    return execFileSync('git', ['show', `${revision}:${DIR}/${file}`], {
      cwd: root,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  } catch {
    return '';
  }
}

const { values } = parseArgs({ options: { base: { type: 'string', default: 'HEAD' } } });
const root = path.resolve(__dirname, '..');
const lines: string[] = [];
for (const { file, key } of FILES) {
  const before = decisions(atRevision(values.base, file, root), key);
  const after = decisions(fs.readFileSync(path.join(root, DIR, file), 'utf8'), key);
  for (const [name, decision] of after) {
    const old = before.get(name);
    if (old === undefined) lines.push(`+ ${name}: ${decision}`);
    else if (old !== decision) lines.push(`~ ${name}: ${old} -> ${decision}`);
  }
  for (const name of before.keys()) if (!after.has(name)) lines.push(`- ${name}: removed`);
}
console.log(lines.length ? lines.sort().join('\n') : `no decision changes against ${values.base}`);
