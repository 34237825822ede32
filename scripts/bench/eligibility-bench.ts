/**
 * Cost of the HIPAA-eligibility rule at 2,000 resources: the cdk-nag pack's validateScope over a synthesized app
 * (the work synth adds per resource), and the bare decision function. Resources are a realistic mix: mostly eligible
 * types, some control-plane, some not eligible, and custom resources whose ServiceToken has to be read from the
 * template.
 */
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import cdkJson from '../../cdk.json';
import { countTypesByClass, judgeResourceType, knownResourceTypes } from '../../lib/compliance/eligibility';
import { HipaaEligibilityChecks } from '../../lib/compliance/packs/hipaa-eligibility-checks';
import { median } from './measure';

export const RESOURCES = 2000;
const PER_STACK = 400;

export interface EligibilityBenchResult {
  readonly resources: number;
  readonly runs: number;
  readonly packMsMedian: number;
  readonly packMsPerResource: number;
  readonly judgeUsPerCall: number;
  readonly findings: number;
  readonly counts: Record<string, number>;
}

function buildApp(): App {
  const app = new App({ context: { ...cdkJson.context }, builtinCloudFormationValidation: false });
  const types = knownResourceTypes().filter((t) => t !== 'AWS::CloudFormation::CustomResource');
  for (let s = 0; s < RESOURCES / PER_STACK; s++) {
    const stack = new Stack(app, `Bench${s}`, { env: { region: 'us-east-1' } });
    const provider = new lambda.Function(stack, 'Provider', {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => ({});'),
    });
    // The function and its role count towards the stack's resources.
    for (let i = 0; i < PER_STACK - 2; i++) {
      const n = s * PER_STACK + i;
      if (n % 20 === 0) {
        new CfnResource(stack, `Custom${i}`, {
          type: 'Custom::Bench',
          properties: { ServiceToken: provider.functionArn },
        });
      } else {
        new CfnResource(stack, `R${i}`, { type: types[(n * 7) % types.length] });
      }
    }
  }
  app.synth();
  return app;
}

export function benchEligibility(runs: number): EligibilityBenchResult {
  const app = buildApp();
  let resources = 0;
  for (const node of app.node.findAll()) if (CfnResource.isCfnResource(node)) resources += 1;
  const times: number[] = [];
  let findings = 0;
  new HipaaEligibilityChecks().validateScope(app); // warm-up: JIT and data loading are not per-resource costs
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    findings = new HipaaEligibilityChecks().validateScope(app).violations.length;
    times.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  const types = knownResourceTypes();
  const calls = 200_000;
  const start = process.hrtime.bigint();
  for (let i = 0; i < calls; i++) judgeResourceType(types[i % types.length]);
  const judgeUsPerCall = Number(process.hrtime.bigint() - start) / 1e3 / calls;
  const packMsMedian = median(times);
  return {
    resources,
    runs,
    packMsMedian,
    packMsPerResource: packMsMedian / resources,
    judgeUsPerCall,
    findings,
    counts: countTypesByClass(),
  };
}

export function eligibilityMarkdown(result: EligibilityBenchResult): string {
  const goal = 0.05;
  return [
    '## Eligibility rule at 2,000 resources',
    '',
    `${result.resources} resources in ${RESOURCES / PER_STACK} stacks (a mix of all known types, every 20th a custom ` +
      `resource judged through its synthesized ServiceToken); median of ${result.runs} runs after one warm-up.`,
    '',
    '| measure | value | goal |',
    '| --- | --- | --- |',
    `| HipaaEligibility pack, whole app | ${result.packMsMedian.toFixed(1)} ms | |`,
    `| per resource | ${result.packMsPerResource.toFixed(4)} ms | <= ${goal} ms (${result.packMsPerResource <= goal ? 'met' : 'NOT met'}) |`,
    `| judgeResourceType alone | ${result.judgeUsPerCall.toFixed(2)} µs per call | |`,
    `| findings in the mix (not eligible) | ${result.findings} | |`,
    '',
    'Known resource types by class (custom resources depend on their token and are not counted):',
    '',
    '| class | types |',
    '| --- | --- |',
    ...Object.entries(result.counts)
      .filter(([name]) => !name.startsWith('custom-resource'))
      .map(([name, count]) => `| ${name} | ${count} |`),
    '',
  ].join('\n');
}
