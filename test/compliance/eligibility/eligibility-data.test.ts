import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  ELIGIBILITY_LIST,
  EXCLUDED_TYPES,
  countTypesByClass,
  eligibleIamPrefixes,
  judgeResourceType,
  knownResourceTypes,
  namespaceEntries,
  typeDecisions,
} from '../../../lib/compliance/eligibility';
import { resourceTypesFromCdkLib } from '../../../lib/compliance/eligibility/cfn-resource-types';
import { parseNamespaceRows } from '../../../lib/compliance/eligibility/namespaces';
import { parseTypeDecisionRows } from '../../../lib/compliance/eligibility/type-decisions';

const DATA = path.resolve(__dirname, '../../../lib/compliance/eligibility/data');

describe('eligibility data', () => {
  test('names its list: date, source and size', () => {
    expect(ELIGIBILITY_LIST).toMatchObject({
      date: '2026-05-22',
      source: 'https://aws.amazon.com/compliance/hipaa-eligible-services-reference/',
      entries: 173,
    });
  });

  test('every uncertain row fails closed or is decided type by type, and the reason says so', () => {
    const uncertain = [...namespaceEntries().values()].filter((entry) => entry.uncertain);
    expect(uncertain.length).toBeGreaterThan(50);
    for (const entry of uncertain) {
      if (entry.decision === 'by-type') expect(entry.note).toMatch(/^BY-TYPE \(decided \d{4}-\d{2}-\d{2}\): /);
      else {
        expect(entry.decision).toBe('not-eligible');
        expect(entry.note).toMatch(/^FAIL-CLOSED/);
      }
    }
  });

  test('a namespace decided by type has a dated decision with evidence for every type it holds', () => {
    const byType = [...namespaceEntries().values()].filter((entry) => entry.decision === 'by-type');
    expect(byType.map((entry) => entry.namespace)).toContain('AWS::SecurityHub');
    for (const entry of byType) {
      const types = knownResourceTypes().filter((type) => type.startsWith(`${entry.namespace}::`));
      expect(types.length).toBeGreaterThan(0);
      expect(types.filter((type) => !typeDecisions().has(type))).toEqual([]);
    }
    for (const decided of typeDecisions().values()) {
      expect(knownResourceTypes()).toContain(decided.type);
      expect(decided.evidence).toMatch(/https:\/\/docs\.aws\.amazon\.com\//);
    }
  });

  test('the type-decision loader refuses rows without evidence, date, a by-type namespace, or twice', () => {
    const row = {
      type: 'AWS::SecurityHub::Hub',
      decision: 'eligible',
      decided: '2026-12-04',
      summary: 'a Security Hub CSPM resource',
      evidence: 'the reference says so at https://docs.aws.amazon.com/AWSCloudFormation/latest/',
    };
    const byType = () => 'by-type';
    expect(parseTypeDecisionRows([row], byType).get(row.type)?.decision).toBe('eligible');
    expect(() => parseTypeDecisionRows([row, row], byType)).toThrow(/decided twice/);
    expect(() => parseTypeDecisionRows([{ ...row, decision: 'maybe' }], byType)).toThrow(/bad decision maybe/);
    expect(() => parseTypeDecisionRows([{ ...row, decided: 'today' }], byType)).toThrow(/must be a date/);
    expect(() => parseTypeDecisionRows([{ ...row, evidence: 'trust me' }], byType)).toThrow(/needs its evidence/);
    expect(() => parseTypeDecisionRows([row], () => 'eligible')).toThrow(/is not decided by type/);
  });

  test('the loader refuses data that allows an uncertain row', () => {
    const row = {
      namespace: 'AWS::Example',
      service: 'Example',
      decision: 'eligible',
      reference_class: 'yes',
      uncertain: 'yes',
      hipaa_list_entry: 'Example',
      note: 'uncertain: not named',
    };
    expect(() => parseNamespaceRows([row])).toThrow(/uncertain but decided eligible; uncertain rows fail closed/);
    expect(parseNamespaceRows([{ ...row, decision: 'by-type' }]).get('AWS::Example')?.decision).toBe('by-type');
    expect(parseNamespaceRows([{ ...row, decision: 'not-eligible' }]).get('AWS::Example')?.decision).toBe(
      'not-eligible',
    );
    expect(() => parseNamespaceRows([{ ...row, decision: 'maybe' }])).toThrow(/bad decision maybe/);
  });

  test('control-plane rows each carry a reason', () => {
    const controlPlane = [...namespaceEntries().values()].filter((entry) => entry.decision === 'control-plane');
    expect(controlPlane.map((entry) => entry.namespace)).toEqual(expect.arrayContaining(['AWS::IAM', 'AWS::CDK']));
    for (const entry of controlPlane) expect(entry.note).toMatch(/control-plane reasoning: .{20,}/);
  });

  test('type-level exclusions sit in namespaces that are otherwise eligible', () => {
    for (const type of Object.keys(EXCLUDED_TYPES)) {
      const namespace = type.split('::').slice(0, 2).join('::');
      expect(namespaceEntries().get(namespace)?.decision).toBe('eligible');
      expect(knownResourceTypes()).toContain(type);
    }
  });

  test('the generated type list matches the installed aws-cdk-lib (run scripts/generate-cfn-resource-types.ts)', () => {
    const committed = JSON.parse(fs.readFileSync(path.join(DATA, 'cfn-resource-types.json'), 'utf8'));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    expect(committed.source).toBe(`aws-cdk-lib ${require('aws-cdk-lib/package.json').version}`);
    expect(committed.types).toEqual(resourceTypesFromCdkLib());
  });

  test('counts by class add up to every known type', () => {
    const counts = countTypesByClass();
    const total = Object.values(counts).reduce((a, b) => a + b, 0);
    expect(total).toBe(knownResourceTypes().length - 1); // AWS::CloudFormation::CustomResource depends on its token
    expect(counts.eligible).toBeGreaterThan(1000);
    expect(counts['not-eligible']).toBeGreaterThan(100);
    expect(counts['excluded-by-condition']).toBe(2);
    expect(counts['unknown-namespace']).toBeGreaterThan(0); // namespaces aws-cdk-lib has and the reference lacks
  });

  test('IAM prefixes cover the services this app deploys, and only prefixes', () => {
    const prefixes = eligibleIamPrefixes();
    expect(prefixes).toEqual(expect.arrayContaining(['kms', 's3', 'cloudtrail', 'dynamodb', 'lambda', 'ec2']));
    for (const prefix of prefixes) expect(prefix).toMatch(/^[a-z0-9-]+$/);
    expect(prefixes).not.toContain('apprunner');
  });

  test('every type a verdict calls eligible is in a namespace the data decided eligible or control-plane', () => {
    for (const type of knownResourceTypes()) {
      const verdict = judgeResourceType(type);
      if (!verdict.eligible || type === 'AWS::CDK::Metadata' || type === 'AWS::CloudFormation::CustomResource')
        continue;
      const namespace = type.split('::').slice(0, 2).join('::');
      expect(['eligible', 'control-plane', 'by-type']).toContain(namespaceEntries().get(namespace)?.decision);
    }
  });
});
