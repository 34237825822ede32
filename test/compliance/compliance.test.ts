import { composeHipaaRtc } from '../../lib/hipaa-rtc-app';
import { isAwsConfigRuleException, type ComplianceException } from '../../lib/compliance/exception';
import { exceptionRegister } from '../../lib/compliance/exception-register';
import { compliancePacks } from '../../lib/compliance/nag-packs';
import { HIPAA_ELIGIBILITY_RULE_ID } from '../../lib/compliance/packs/hipaa-eligibility-checks';
import type { HipaaRtcConfig } from '../../config';
import { exampleConfig, newTestApp } from '../helpers/test-app';

/**
 * The whole app against every pack, judged on today's date on purpose: when an exception expires, this test (and
 * `cdk synth`) fail until the exception is reviewed.
 */
const today = new Date();
const config = exampleConfig();
const register = exceptionRegister({ deploymentName: config.deploymentName });
// Exceptions to AWS Config rules record findings the account reports after deployment; no pack reports them at
// synth, so they suppress nothing here (test/detect/config-rules.test.ts covers them).
const synthTimeRegister = register.filter((e) => !isAwsConfigRuleException(e));

/**
 * Every unacknowledged finding of every pack, as "ruleId @ construct path", sorted. With `onlyStack`, the packs
 * judge that stack alone: acknowledgements are per construct path, so an exception can only ever affect findings in
 * its own stack, and judging one stack keeps the one-run-per-exception proof affordable.
 */
function findings(
  exceptions: readonly ComplianceException[],
  onlyStack?: string,
  deployment: HipaaRtcConfig = config,
): string[] {
  const app = newTestApp();
  composeHipaaRtc(app, deployment, { today, exceptions, registerPacks: false });
  app.synth();
  const scope = onlyStack ? app.node.findChild(onlyStack) : app;
  // As composeHipaaRtc does: the eligibility pack ignores acknowledgements and takes its exceptions by path.
  const exceptedEligibilityPaths = exceptions.filter((e) => e.ruleId === HIPAA_ELIGIBILITY_RULE_ID).map((e) => e.path);
  return compliancePacks(app, { exceptedEligibilityPaths })
    .flatMap((pack) => pack.validateScope(scope).violations)
    .flatMap((violation) => violation.violatingResources.map((r) => `${violation.ruleName} @ ${r.constructPath}`))
    .sort();
}

test('the whole app has zero unacknowledged findings in HIPAA Security and AwsSolutions (errors and warnings)', () => {
  expect(findings(register)).toEqual([]);
});

test('a real deployment (account set, another allowed region) has zero unacknowledged findings too', () => {
  // Finding IDs embed resource ARNs; an ARN that resolves to a literal account or region for one config would
  // silently stop matching its register entry in another. The register must hold for every valid config.
  const deployment = exampleConfig({ account: '111111111111', region: 'us-west-2' });
  expect(findings(exceptionRegister({ deploymentName: deployment.deploymentName }), undefined, deployment)).toEqual([]);
});

test('the packs do run: with no exceptions, every excepted finding is reported', () => {
  expect(findings([])).toEqual(synthTimeRegister.map((e) => `${e.ruleId} @ ${e.path}`).sort());
});

describe.each(synthTimeRegister.map((e) => [`${e.ruleId} @ ${e.path}`, e] as const))(
  'exception %s',
  (label, exception) => {
    test('suppresses exactly the finding it names, and nothing else', () => {
      expect(
        findings(
          register.filter((e) => e !== exception),
          exception.path.split('/')[0],
        ),
      ).toEqual([label]);
    });
  },
);
