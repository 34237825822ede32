import * as fs from 'node:fs';
import * as path from 'node:path';
import { sharedAssembly } from '../helpers/shared-assembly';

/**
 * Every role that only Lambda may assume is the execution role of some function in its stack. CDK runs every
 * AwsCustomResource of a stack through one provider function, created with the role of the first one: a second one
 * given another role leaves that role unused, and its SDK calls run with the first one's permissions and fail at
 * deploy (the reason EBS encryption by default sits in a further Region's Relay stack, not beside its Guard rule
 * writer). A role no function uses is that mistake, or dead weight.
 */
const CONFIGS = ['example', 'example-two-regions'];

function lambdaOnlyRoles(resources: Record<string, any>): string[] {
  return Object.entries(resources)
    .filter(([, r]) => r.Type === 'AWS::IAM::Role')
    .filter(([, r]) =>
      (r.Properties.AssumeRolePolicyDocument.Statement as any[]).every(
        (s) => s.Principal?.Service === 'lambda.amazonaws.com',
      ),
    )
    .map(([id]) => id);
}

function functionRoles(resources: Record<string, any>): Set<string> {
  return new Set(
    Object.values(resources)
      .filter((r) => r.Type === 'AWS::Lambda::Function')
      .map((r) => r.Properties.Role?.['Fn::GetAtt']?.[0])
      .filter((id): id is string => typeof id === 'string'),
  );
}

test.each(CONFIGS)('%s: every Lambda-only role is some function’s execution role', (config) => {
  const assembly = sharedAssembly(config);
  const manifest = JSON.parse(fs.readFileSync(path.join(assembly.dir, 'manifest.json'), 'utf8'));
  const stacks = Object.entries(manifest.artifacts as Record<string, { type: string }>)
    .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
    .map(([id]) => id);
  expect(stacks.length).toBeGreaterThan(0);
  for (const stackId of stacks) {
    const template = assembly.template(stackId);
    const used = functionRoles(template.Resources);
    const unused = lambdaOnlyRoles(template.Resources).filter((id) => !used.has(id));
    expect({ stackId, unused }).toEqual({ stackId, unused: [] });
  }
});

test('the check sees a second AwsCustomResource role in one stack (the mistake it guards against)', () => {
  const resources = {
    RoleA: {
      Type: 'AWS::IAM::Role',
      Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] } },
    },
    RoleB: {
      Type: 'AWS::IAM::Role',
      Properties: { AssumeRolePolicyDocument: { Statement: [{ Principal: { Service: 'lambda.amazonaws.com' } }] } },
    },
    Provider: { Type: 'AWS::Lambda::Function', Properties: { Role: { 'Fn::GetAtt': ['RoleA', 'Arn'] } } },
  };
  const used = functionRoles(resources);
  expect(lambdaOnlyRoles(resources).filter((id) => !used.has(id))).toEqual(['RoleB']);
});
