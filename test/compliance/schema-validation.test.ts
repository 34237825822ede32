import { composeHipaaRtc } from '../../lib/hipaa-rtc-app';
import { App, CfnResource } from 'aws-cdk-lib';
import cdkJson from '../../cdk.json';
import { exampleConfig } from '../helpers/test-app';

/**
 * bin/hipaa-rtc.ts turns aws-cdk-lib's built-in CloudFormation schema validator off to keep `cdk synth` fast; this
 * test runs the same app with it on (and the cdk-nag plugins registered), so schema errors still fail CI.
 */
test('the app passes the built-in CloudFormation schema validator and the registered packs', () => {
  const app = new App({ context: { ...cdkJson.context }, builtinCloudFormationValidation: true });
  composeHipaaRtc(app, exampleConfig(), { today: new Date() });
  expect(() => app.synth()).not.toThrow();
});

test('the validator is live: a schema error in the same app fails synth', () => {
  const app = new App({ context: { ...cdkJson.context }, builtinCloudFormationValidation: true });
  const { data } = composeHipaaRtc(app, exampleConfig(), { today: new Date(), registerPacks: false });
  new CfnResource(data, 'Malformed', {
    type: 'AWS::S3::Bucket',
    properties: { VersioningConfiguration: 'on' },
  });
  expect(() => app.synth()).toThrow(/VersioningConfiguration: 'on' is not of type 'object'/);
});
