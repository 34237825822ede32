// The synth benchmark's floor (scripts/bench/synth-bench.ts): the smallest CDK app, one stack with one S3 bucket,
// built with the same App options as bin/hipaa-rtc.ts (builtinCloudFormationValidation: false) and run through the
// same pinned CLI. Plain JavaScript, so no TypeScript loading is counted in the floor.
'use strict';
const { App, Stack } = require('aws-cdk-lib');
const s3 = require('aws-cdk-lib/aws-s3');

const app = new App({ builtinCloudFormationValidation: false });
new s3.Bucket(new Stack(app, 'Floor', { env: { region: 'us-east-1' } }), 'Bucket');
app.synth();
