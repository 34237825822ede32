import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import { EXCEPTION_METADATA_KEY, ExceptionRegisterError, applyExceptions } from '../../lib/compliance/apply-exceptions';
import {
  MAX_EXCEPTION_DAYS,
  checkRegister,
  daysUntilExpiry,
  type ComplianceException,
} from '../../lib/compliance/exception';
import { renderExceptionReport, writeExceptionReport } from '../../lib/compliance/exception-report';
import { exceptionRegister } from '../../lib/compliance/exception-register';
import { FIXED_TODAY, buildExampleApp } from '../helpers/test-app';

const REGISTER_SIZE = exceptionRegister({ deploymentName: 'hipaa-rtc-example' }).length;
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const valid: ComplianceException = {
  ruleId: 'HIPAA.Security-S3BucketReplicationEnabled',
  path: 'HipaaRtcData/RecordingsBucket/Resource/Resource',
  reason: 'Replication needs a second PHI-approved region that this deployment does not have yet.',
  compensatingControl: 'Versioning and RETAIN keep every recording recoverable.',
  safeguard: '164.308(a)(7)(ii)(A) data backup plan',
  owner: 'platform security',
  expires: '2027-01-31',
};

describe('checkRegister (no constructs involved)', () => {
  test('a well-formed, current entry has no problems', () => {
    expect(checkRegister([valid], FIXED_TODAY)).toEqual([]);
  });

  test('the last valid day is the expiry date itself; the day after, it is expired', () => {
    expect(checkRegister([{ ...valid, expires: '2026-11-22' }], FIXED_TODAY)).toEqual([]);
    expect(checkRegister([{ ...valid, expires: '2026-11-21' }], FIXED_TODAY)).toEqual([
      expect.stringMatching(/expired on 2026-11-21; fix the finding, or have platform security review the exception/),
    ]);
  });

  test('exceptions must be reviewed at least yearly', () => {
    expect(checkRegister([{ ...valid, expires: '2028-01-01' }], FIXED_TODAY)).toEqual([
      expect.stringMatching(new RegExp(`more than ${MAX_EXCEPTION_DAYS} days away`)),
    ]);
  });

  test.each([
    ['ruleId', { ruleId: 'Made-Up-Rule' }, /ruleId must start with one of HIPAA\.Security-, AwsSolutions-/],
    ['ruleId', { ruleId: 'AwsSolutions-' }, /and name a rule/],
    ['path', { path: 'Bucket' }, /path must be a full construct path/],
    ['reason', { reason: 'because' }, /reason must explain in at least 40 characters/],
    ['compensatingControl', { compensatingControl: 'none' }, /compensatingControl must describe/],
    ['safeguard', { safeguard: 'security' }, /safeguard must cite a HIPAA Security Rule section/],
    ['owner', { owner: '' }, /owner must name an accountable owner/],
    ['expires', { expires: '31/01/2027' }, /expires must be a date written YYYY-MM-DD/],
    ['expires', { expires: '2027-02-30' }, /expires must be a real calendar date/],
  ])('a bad %s is refused with what to do', (_field, change, message) => {
    expect(checkRegister([{ ...valid, ...change }], FIXED_TODAY)).toEqual([expect.stringMatching(message)]);
  });

  test('unknown fields are refused (a typo must not silently drop a control)', () => {
    expect(checkRegister([{ ...valid, expiry: '2027-01-01' }], FIXED_TODAY)).toEqual([
      expect.stringMatching(/Unrecognized key/i),
    ]);
  });

  test('duplicates are refused', () => {
    expect(checkRegister([valid, valid], FIXED_TODAY)).toEqual([expect.stringMatching(/duplicate entry/)]);
  });

  test('days until expiry counts whole UTC days', () => {
    expect(daysUntilExpiry({ expires: '2026-11-23' }, FIXED_TODAY)).toBe(1);
    expect(daysUntilExpiry({ expires: '2026-11-22' }, new Date('2026-11-22T23:59:59Z'))).toBe(0);
  });

  test('the shipped register is valid today', () => {
    expect(checkRegister(exceptionRegister({ deploymentName: 'hipaa-rtc-example' }), new Date())).toEqual([]);
  });
});

describe('applyExceptions against the app', () => {
  test('an expired exception stops synth, naming the rule, the resource and what to do', () => {
    expect(() => buildExampleApp({ exceptions: [{ ...valid, expires: '2026-01-01' }] })).toThrow(
      ExceptionRegisterError,
    );
    expect(() => buildExampleApp({ exceptions: [{ ...valid, expires: '2026-01-01' }] })).toThrow(
      /HIPAA\.Security-S3BucketReplicationEnabled on HipaaRtcData\/RecordingsBucket\/Resource\/Resource\).*expired on 2026-01-01/,
    );
  });

  test('a path that names no construct is refused as stale', () => {
    expect(() => buildExampleApp({ exceptions: [{ ...valid, path: 'HipaaRtcData/Gone/Resource' }] })).toThrow(
      /no construct has this path; the resource was renamed or removed/,
    );
  });

  test('a path that names an L2 or a stack is refused: exceptions sit on the narrowest resource', () => {
    expect(() => buildExampleApp({ exceptions: [{ ...valid, path: 'HipaaRtcData/RecordingsBucket' }] })).toThrow(
      /names EncryptedBucket, not a CloudFormation resource/,
    );
  });

  test('all problems are reported together', () => {
    const error = (() => {
      try {
        buildExampleApp({
          exceptions: [
            { ...valid, expires: '2026-01-01' },
            { ...valid, ruleId: 'AwsSolutions-S1', path: 'Nope/X' },
          ],
        });
      } catch (e) {
        return e as ExceptionRegisterError;
      }
      throw new Error('expected an ExceptionRegisterError');
    })();
    expect(error.problems).toHaveLength(2);
  });

  test('each excepted resource carries its exceptions in template metadata', () => {
    const built = buildExampleApp();
    const template = Template.fromStack(built.audit);
    template.hasResource('AWS::Lambda::Function', {
      Metadata: {
        [EXCEPTION_METADATA_KEY]: [
          Match.objectLike({
            ruleId: 'HIPAA.Security-LambdaConcurrency',
            owner: Match.anyValue(),
            expires: '2027-05-22',
          }),
          Match.objectLike({ ruleId: 'HIPAA.Security-LambdaDLQ' }),
          Match.objectLike({ ruleId: 'HIPAA.Security-LambdaInsideVPC' }),
        ],
      },
    });
    expect(REGISTER_SIZE).toBeGreaterThan(0);
    expect(built.exceptions).toHaveLength(REGISTER_SIZE);
    expect(built.exceptions.every((e) => /^[A-Za-z0-9]+$/.test(e.logicalId))).toBe(true);
  });

  test('an exception close to expiry produces a synth warning; one further away does not', () => {
    const soon = buildExampleApp({ exceptions: [{ ...valid, expires: '2026-12-01' }] });
    Annotations.fromStack(soon.data).hasWarning(
      '/HipaaRtcData/RecordingsBucket/Resource/Resource',
      Match.stringLikeRegexp('expires in 9 day\\(s\\) \\(2026-12-01\\)'),
    );
    const later = buildExampleApp({ exceptions: [valid] });
    Annotations.fromStack(later.data).hasNoWarning('*', Match.stringLikeRegexp('expires in'));
  });

  test('applyExceptions acknowledges nothing when the register is empty', () => {
    const built = buildExampleApp({ exceptions: [] });
    expect(applyExceptions(built.app, [], FIXED_TODAY)).toEqual([]);
  });
});

describe('exception report', () => {
  test('lists every exception with resource, logical ID, reason, control, safeguard, owner and expiry', () => {
    const built = buildExampleApp();
    const markdown = renderExceptionReport(built.exceptions, FIXED_TODAY);
    expect(markdown).toContain(`Exceptions: ${REGISTER_SIZE}`);
    for (const e of built.exceptions) {
      expect(markdown).toContain(`## ${e.ruleId}`);
      expect(markdown).toContain(`\`${e.path}\``);
      expect(markdown).toContain(e.logicalId);
      expect(markdown).toContain(e.reason);
      expect(markdown).toContain(e.compensatingControl);
      expect(markdown).toContain(e.safeguard);
    }
  });

  test('is written as Markdown and JSON into the assembly directory', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'hipaa-rtc-report-'));
    try {
      const built = buildExampleApp();
      const written = writeExceptionReport(outdir, built.exceptions, FIXED_TODAY);
      expect(written.map((f) => path.basename(f))).toEqual(['compliance-exceptions.md', 'compliance-exceptions.json']);
      const json = JSON.parse(fs.readFileSync(written[1]!, 'utf8'));
      expect(json.exceptions).toHaveLength(REGISTER_SIZE);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});
