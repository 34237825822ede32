import { App, CfnResource, Stack, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import {
  HIPAA_ELIGIBILITY_RULE_ID,
  HipaaEligibilityChecks,
} from '../../../lib/compliance/packs/hipaa-eligibility-checks';
import { newTestApp } from '../../helpers/test-app';

enum TestType {
  NON_COMPLIANCE,
  COMPLIANCE,
}

function stackWith(build: (stack: Stack) => void): { app: App; stack: Stack } {
  const app = newTestApp();
  const stack = new Stack(app, 'Test', { env: { region: 'us-east-1' } });
  build(stack);
  // Custom resources are judged from the synthesized template, as the CLI judges any template.
  app.synth();
  return { app, stack };
}

function findings(app: App, exceptedPaths: string[] = []) {
  return new HipaaEligibilityChecks(undefined, { exceptedPaths }).validateScope(app).violations;
}

function validate(build: (stack: Stack) => void, type: TestType): void {
  const { app } = stackWith(build);
  const flagged = findings(app).filter((v) => v.ruleName === HIPAA_ELIGIBILITY_RULE_ID);
  if (type === TestType.NON_COMPLIANCE) expect(flagged).not.toEqual([]);
  else expect(flagged).toEqual([]);
}

const resource =
  (type: string, id = 'Thing') =>
  (stack: Stack) =>
    new CfnResource(stack, id, { type });

function inlineFunction(stack: Stack): lambda.Function {
  return new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => ({});'),
  });
}

describe('HipaaEligibility-HipaaEligibleResourceType', () => {
  describe('Noncompliance', () => {
    test.each([
      ['not eligible', 'AWS::AppRunner::Service'],
      ['excluded by condition (Simple AD)', 'AWS::DirectoryService::SimpleAD'],
      ['excluded by condition (Pinpoint voice)', 'AWS::Pinpoint::VoiceChannel'],
      ['unknown namespace', 'Acme::Widget::Thing'],
      ['unknown type in a known namespace', 'AWS::S3::NoSuchThing'],
      ['uncertain in the reference (fails closed)', 'AWS::AppConfig::Application'],
    ])('%s: %s', (_name, type) => validate(resource(type), TestType.NON_COMPLIANCE));

    test('custom resource whose ServiceToken is a queue', () =>
      validate((stack) => {
        const queue = new sqs.Queue(stack, 'Queue', { enforceSSL: true });
        new CfnResource(stack, 'Custom', { type: 'Custom::Thing', properties: { ServiceToken: queue.queueArn } });
      }, TestType.NON_COMPLIANCE));

    test('custom resource whose ServiceToken is a literal ARN outside the app', () =>
      validate(
        (stack) =>
          new CfnResource(stack, 'Custom', {
            type: 'AWS::CloudFormation::CustomResource',
            properties: { ServiceToken: 'arn:aws:lambda:us-east-1:111111111111:function:elsewhere' },
          }),
        TestType.NON_COMPLIANCE,
      ));
  });

  describe('Compliance', () => {
    test.each([
      ['eligible', 'AWS::S3::Bucket'],
      ['eligible in a conditioned namespace', 'AWS::DirectoryService::MicrosoftAD'],
      ['control plane', 'AWS::IAM::ManagedPolicy'],
      ['CDK tooling', 'AWS::CDK::Metadata'],
    ])('%s: %s', (_name, type) => validate(resource(type), TestType.COMPLIANCE));

    test('custom resource backed by a Lambda function in the app', () =>
      validate((stack) => {
        const fn = inlineFunction(stack);
        new CfnResource(stack, 'Custom', { type: 'Custom::Thing', properties: { ServiceToken: fn.functionArn } });
      }, TestType.COMPLIANCE));

    test('custom resource backed by an SNS topic in the app', () =>
      validate((stack) => {
        const topic = new sns.Topic(stack, 'Topic');
        new CfnResource(stack, 'Custom', { type: 'Custom::Thing', properties: { ServiceToken: topic.topicArn } });
      }, TestType.COMPLIANCE));
  });

  test('a finding names the path, type, service, list date, source and what to do', () => {
    const { app } = stackWith(resource('AWS::AppRunner::Service', 'Runner'));
    const [finding] = findings(app);
    expect(finding.severity).toBe('fatal');
    expect(finding.violatingResources[0].constructPath).toBe('Test/Runner');
    expect(finding.description).toContain('Test/Runner is AWS::AppRunner::Service (AWS App Runner)');
    expect(finding.description).toContain('dated 2026-05-22');
    expect(finding.description).toContain('https://aws.amazon.com/compliance/hipaa-eligible-services-reference/');
    expect(finding.fix).toMatch(/Remove the resource.*exception.*owner, expiry/s);
  });

  test('a plain cdk-nag acknowledgement does not suppress it; synth still fails', () => {
    const app = newTestApp();
    const stack = new Stack(app, 'Test', { env: { region: 'us-east-1' } });
    const runner = new CfnResource(stack, 'Runner', { type: 'AWS::AppRunner::Service' });
    Validations.of(app).addPlugins(new HipaaEligibilityChecks(app));
    Validations.of(runner).acknowledge({
      id: `HipaaEligibility::${HIPAA_ELIGIBILITY_RULE_ID}`,
      reason: 'a plain acknowledgement, without owner or expiry, must not be enough',
    });
    Validations.of(stack).acknowledge({
      id: `HipaaEligibility::${HIPAA_ELIGIBILITY_RULE_ID}`,
      reason: 'not on the stack either',
    });
    expect(() => app.synth()).toThrow(/FATAL Test\/Runner is AWS::AppRunner::Service/);
  });

  test('the typed register excepts exactly the path it names, nothing else', () => {
    const { app } = stackWith((stack) => {
      new CfnResource(stack, 'Runner', { type: 'AWS::AppRunner::Service' });
      new CfnResource(stack, 'Other', { type: 'AWS::AppRunner::Service' });
    });
    const paths = findings(app, ['Test/Runner']).flatMap((v) => v.violatingResources.map((r) => r.constructPath));
    expect(paths).toEqual(['Test/Other']);
  });
});
