import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CfnResource, Stack } from 'aws-cdk-lib';
import {
  ABSENT,
  judgeResource,
  propertyConditions,
  typeDecisions,
  type PropertyCondition,
} from '../../lib/compliance/eligibility';
import { HipaaEligibilityChecks } from '../../lib/compliance/packs/hipaa-eligibility-checks';
import { eligibilityGuardRules } from '../../lib/compliance/guard/account-guard-rules';
import { hookInput, runGuard } from '../helpers/cfn-guard';
import { newTestApp } from '../helpers/test-app';

/**
 * A table test over the data itself: every type-level decision and every property condition (each value the data
 * names, absence, and a value it does not name) becomes a resource, judged by the synth-time nag rule, the real CLI
 * binary and the Guard rules executed by cfn-guard. Each must give the data's verdict, and every condition must have
 * at least one positive and one negative case, so no condition can be enforced in one place and forgotten in another.
 */
const ROOT = path.resolve(__dirname, '../..');
const UNLISTED = 'not-a-listed-value';

interface Case {
  readonly name: string;
  readonly type: string;
  readonly properties: Record<string, string>;
  readonly expected: boolean;
}

/** A value of the condition the data calls eligible, to hold the other properties of a type fixed. */
function eligibleValueOf(condition: PropertyCondition): string | undefined {
  return [...condition.values.values()].find((value) => value.eligible && value.value !== ABSENT)?.value;
}

function propertyCases(): Case[] {
  const cases: Case[] = [];
  for (const [type, conditions] of propertyConditions()) {
    for (const condition of conditions) {
      const others: Record<string, string> = {};
      for (const other of conditions) {
        const value = eligibleValueOf(other);
        if (other !== condition && value) others[other.property] = value;
      }
      for (const decision of condition.values.values()) {
        const properties = { ...others };
        if (decision.value !== ABSENT) properties[condition.property] = decision.value;
        cases.push({
          name: `${type} ${condition.property}=${decision.value}`,
          type,
          properties,
          expected: decision.eligible,
        });
      }
      cases.push({
        name: `${type} ${condition.property}=${UNLISTED}`,
        type,
        properties: { ...others, [condition.property]: UNLISTED },
        expected: false,
      });
    }
  }
  return cases;
}

function typeCases(): Case[] {
  return [...typeDecisions().values()]
    .filter((decided) => decided.decision !== 'by-property')
    .map((decided) => ({
      name: `${decided.type} (type decision)`,
      type: decided.type,
      properties: {},
      expected: decided.decision === 'eligible',
    }));
}

const CASES = [...propertyCases(), ...typeCases()];

test('every condition in the data has a positive and a negative case', () => {
  for (const [type, conditions] of propertyConditions()) {
    for (const condition of conditions) {
      const mine = CASES.filter((c) => c.name.startsWith(`${type} ${condition.property}=`));
      expect(mine.some((c) => c.expected)).toBe(true);
      expect(mine.some((c) => !c.expected)).toBe(true);
    }
  }
  // Each namespace decided by type has both outcomes somewhere, or says why not in its data (a whole-namespace yes).
  expect(CASES.filter((c) => c.expected).length).toBeGreaterThan(30);
  expect(CASES.filter((c) => !c.expected).length).toBeGreaterThan(20);
});

test('the judge gives the data verdict for every case', () => {
  const wrong = CASES.filter((c) => judgeResource(c.type, { properties: c.properties }).eligible !== c.expected);
  expect(wrong.map((c) => c.name)).toEqual([]);
});

test('the synth-time nag rule gives the data verdict for every case', () => {
  const app = newTestApp({ 'aws:cdk:disable-version-reporting': true });
  const stack = new Stack(app, 'Conditions', { env: { region: 'us-east-1' } });
  const byPath = new Map<string, Case>();
  CASES.forEach((c, index) => {
    new CfnResource(stack, `C${index}`, { type: c.type, properties: c.properties });
    byPath.set(`Conditions/C${index}`, c);
  });
  app.synth();
  const flagged = new Set(
    new HipaaEligibilityChecks()
      .validateScope(app)
      .violations.flatMap((v) => v.violatingResources.map((r) => r.constructPath ?? '')),
  );
  const wrong = [...byPath].filter(([constructPath, c]) => flagged.has(constructPath) === c.expected);
  expect(wrong.map(([, c]) => c.name)).toEqual([]);
  fs.rmSync(app.outdir, { recursive: true, force: true });
});

test('the CLI (real binary) gives the data verdict for every case', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hipaa-rtc-conditions-'));
  try {
    const file = path.join(dir, 'conditions.json');
    const resources = Object.fromEntries(
      CASES.map((c, index) => [`C${index}`, { Type: c.type, Properties: c.properties }]),
    );
    fs.writeFileSync(file, JSON.stringify({ Resources: resources }));
    const result = spawnSync(
      process.execPath,
      [path.join(ROOT, 'bin/hipaa-rtc-cli.js'), 'check', file, '--format', 'json'],
      { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024, timeout: 60_000 },
    );
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout) as {
      resources: Array<{ logicalId: string; verdict: { eligible: boolean } }>;
    };
    const judged = new Map(report.resources.map((r) => [r.logicalId, r.verdict.eligible]));
    const wrong = CASES.filter((c, index) => judged.get(`C${index}`) !== c.expected);
    expect(wrong.map((c) => c.name)).toEqual([]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('the Guard rules (executed by cfn-guard) give the data verdict for every case', () => {
  const statuses = runGuard(
    eligibilityGuardRules('hipaa-rtc-example-guardrails'),
    new Map(CASES.map((c) => [c.name, hookInput({ ResourceType: c.type, ResourceProperties: c.properties })])),
  );
  const wrong = CASES.filter((c) => (statuses.get(c.name) === 'PASS') !== c.expected);
  expect(wrong.map((c) => c.name)).toEqual([]);
});
