import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, CfnElement, CfnResource, NestedStack, Stack, Validations } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { CfnInclude } from 'aws-cdk-lib/cloudformation-include';
import type { Construct } from 'constructs';
import {
  HIPAA_ELIGIBILITY_RULE_ID,
  HipaaEligibilityChecks,
} from '../../../lib/compliance/packs/hipaa-eligibility-checks';
import { newTestApp } from '../../helpers/test-app';

/**
 * The eligibility rule judges the synthesized templates, so that no construct, escape hatch or raw element can put a
 * type into a template without it being judged, and what the gate cannot see through fails closed.
 */
function synthesized(build: (stack: Stack) => void): App {
  const app = newTestApp();
  build(new Stack(app, 'Test', { env: { region: 'us-east-1' } }));
  app.synth();
  return app;
}

function findings(app: App, exceptedPaths: string[] = []) {
  return new HipaaEligibilityChecks(undefined, { exceptedPaths })
    .validateScope(app)
    .violations.filter((v) => v.ruleName === HIPAA_ELIGIBILITY_RULE_ID);
}

function paths(app: App, exceptedPaths: string[] = []): Array<string | undefined> {
  return findings(app, exceptedPaths).flatMap((v) => v.violatingResources.map((r) => r.constructPath));
}

/** A CloudFormation element that is not a CfnResource and renders whatever resource it is given. */
class RawElement extends CfnElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly body: Record<string, unknown>,
    private readonly extra: Record<string, unknown> = {},
  ) {
    super(scope, id);
  }

  public _toCloudFormation(): object {
    return { Resources: { [this.logicalId]: this.body, ...this.extra } };
  }
}

describe('types as written in the template', () => {
  test("addOverride('Type', ...) on an eligible resource is judged by the overridden type", () => {
    const app = synthesized((stack) => {
      new s3.CfnBucket(stack, 'Bucket').addOverride('Type', 'AWS::AppRunner::Service');
    });
    const [finding, ...rest] = findings(app);
    expect(rest).toEqual([]);
    expect(finding.severity).toBe('fatal');
    expect(finding.violatingResources[0].constructPath).toBe('Test/Bucket');
    expect(finding.description).toContain('Test/Bucket is AWS::AppRunner::Service (AWS App Runner)');
  });

  test('the same override fails a real synth through the validation plugin (context.templatePaths)', () => {
    const app = newTestApp();
    const stack = new Stack(app, 'Test', { env: { region: 'us-east-1' } });
    new s3.CfnBucket(stack, 'Bucket').addOverride('Type', 'AWS::AppRunner::Service');
    Validations.of(app).addPlugins(new HipaaEligibilityChecks(app));
    expect(() => app.synth()).toThrow(/FATAL Test\/Bucket is AWS::AppRunner::Service/);
  });

  test('an override to an eligible type passes: the template, not the construct class, decides', () => {
    const app = synthesized((stack) => {
      new CfnResource(stack, 'Runner', { type: 'AWS::AppRunner::Service' }).addOverride('Type', 'AWS::SQS::Queue');
    });
    expect(findings(app)).toEqual([]);
  });

  test('a CfnElement that is not a CfnResource and emits a non-eligible resource is judged', () => {
    const app = synthesized((stack) => new RawElement(stack, 'Raw', { Type: 'AWS::AppRunner::Service' }));
    expect(paths(app)).toEqual(['Test/Raw']);
    expect(findings(app)[0].description).toContain('Test/Raw is AWS::AppRunner::Service');
  });

  test('a CfnElement emitting an eligible resource passes', () => {
    const app = synthesized((stack) => new RawElement(stack, 'Raw', { Type: 'AWS::SQS::Queue' }));
    expect(findings(app)).toEqual([]);
  });

  test('a resource no construct renders is named by its aws:cdk:path metadata, or by logical ID and file', () => {
    const app = synthesized(
      (stack) =>
        new RawElement(
          stack,
          'Raw',
          { Type: 'AWS::SQS::Queue' },
          {
            Tagged: { Type: 'AWS::AppRunner::Service', Metadata: { 'aws:cdk:path': 'Test/Claimed' } },
            Bare: { Type: 'AWS::AppRunner::Service' },
          },
        ),
    );
    const found = findings(app);
    expect(found.map((f) => f.violatingResources[0].constructPath)).toEqual([undefined, undefined]);
    expect(found.map((f) => f.violatingResources[0].resourceLogicalId)).toEqual(['Tagged', 'Bare']);
    expect(found.map((f) => path.basename(f.violatingResources[0].templatePath ?? ''))).toEqual([
      'Test.template.json',
      'Test.template.json',
    ]);
    expect(found[0].description).toContain(
      'Test/Claimed (logical ID Tagged in Test.template.json, named by its metadata) is AWS::AppRunner::Service',
    );
    expect(found[1].description).toContain('logical ID Bare in Test.template.json is AWS::AppRunner::Service');
  });

  test('metadata cannot borrow an exception: only the construct tree path is matched against the register', () => {
    const app = synthesized((stack) => {
      new CfnResource(stack, 'Runner', { type: 'AWS::AppRunner::Service' });
      new RawElement(
        stack,
        'Raw',
        { Type: 'AWS::SQS::Queue' },
        { Forged: { Type: 'AWS::AppRunner::Service', Metadata: { 'aws:cdk:path': 'Test/Runner' } } },
      );
    });
    const found = findings(app, ['Test/Runner']);
    expect(found.map((f) => f.violatingResources[0].resourceLogicalId)).toEqual(['Forged']);
  });

  test('the register excepts an overridden resource by its construct path, and only that one', () => {
    const app = synthesized((stack) => {
      new s3.CfnBucket(stack, 'Excepted').addOverride('Type', 'AWS::AppRunner::Service');
      new s3.CfnBucket(stack, 'Other').addOverride('Type', 'AWS::AppRunner::Service');
    });
    expect(paths(app, ['Test/Excepted'])).toEqual(['Test/Other']);
  });

  test('a raw template brought in with CfnInclude is judged resource by resource, transform included', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'include-'));
    const file = path.join(dir, 'legacy.json');
    fs.writeFileSync(
      file,
      JSON.stringify({
        Transform: 'AWS::Serverless-2016-10-31',
        Resources: {
          Queue: { Type: 'AWS::SQS::Queue' },
          Runner: { Type: 'AWS::AppRunner::Service', Properties: { SourceConfiguration: {} } },
        },
      }),
    );
    try {
      const app = synthesized((stack) => new CfnInclude(stack, 'Legacy', { templateFile: file }));
      const found = findings(app);
      expect(found.map((f) => f.violatingResources[0].constructPath).sort()).toEqual(['Test', 'Test/Legacy/Runner']);
      expect(found.map((f) => f.description).join('\n')).toContain('uses the transform AWS::Serverless-2016-10-31');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a Type that is not a literal string fails closed', () => {
    const app = synthesized((stack) => new RawElement(stack, 'Raw', { Type: { Ref: 'AWS::Region' } }));
    expect(paths(app)).toEqual(['Test/Raw']);
    expect(findings(app)[0].description).toContain('its Type is not a literal string');
  });

  test('a stack validated before synthesis is a finding, never a pass', () => {
    const app = newTestApp();
    new Stack(app, 'Test', { env: { region: 'us-east-1' } });
    expect(paths(app)).toEqual(['Test']);
    expect(findings(app)[0].description).toMatch(/has not been synthesized/);
  });
});

describe('transforms fail closed', () => {
  test.each([
    ['AWS::Serverless-2016-10-31', /Replace the SAM resources with CDK constructs/],
    ['AWS::LanguageExtensions', /Write the resources out/],
    ['Acme-Macro', /Remove the transform/],
  ])('template Transform %s', (transform, advice) => {
    const app = synthesized((stack) => {
      new CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue' });
      stack.addTransform(transform);
    });
    const [finding, ...rest] = findings(app);
    expect(rest).toEqual([]);
    expect(finding.violatingResources[0].constructPath).toBe('Test');
    expect(finding.violatingResources[0].locations).toEqual(['Transform']);
    expect(finding.description).toContain(`uses the transform ${transform}`);
    expect(finding.description).toContain('never sees');
    expect(finding.fix).toMatch(advice);
  });

  test('an Fn::Transform (AWS::Include) inside a resource', () => {
    const app = synthesized((stack) => {
      new CfnResource(stack, 'Queue', {
        type: 'AWS::SQS::Queue',
        properties: { Tags: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: 's3://b/k' } } } },
      });
    });
    const [finding] = findings(app);
    expect(finding.description).toContain(
      'uses the transform AWS::Include (at Resources.Queue.Properties.Tags.Fn::Transform)',
    );
    expect(finding.fix).toMatch(/CfnInclude/);
  });

  test('a template without a transform has no transform finding', () => {
    const app = synthesized((stack) => new CfnResource(stack, 'Queue', { type: 'AWS::SQS::Queue' }));
    expect(findings(app)).toEqual([]);
  });
});

describe('nested stacks', () => {
  test('a CDK NestedStack is judged through its own synthesized template', () => {
    const app = synthesized((stack) => {
      const nested = new NestedStack(stack, 'Nested');
      new s3.CfnBucket(nested, 'Bucket').addOverride('Type', 'AWS::AppRunner::Service');
      new CfnResource(nested, 'Queue', { type: 'AWS::SQS::Queue' });
    });
    const found = findings(app);
    expect(found.map((f) => f.violatingResources[0].constructPath)).toEqual(['Test/Nested/Bucket']);
    expect(path.basename(found[0].violatingResources[0].templatePath ?? '')).toMatch(/\.nested\.template\.json$/);
  });

  test('a nested stack of a nested stack is judged too', () => {
    const app = synthesized((stack) => {
      const inner = new NestedStack(new NestedStack(stack, 'Outer'), 'Inner');
      new RawElement(inner, 'Raw', { Type: 'AWS::AppRunner::Service' });
    });
    expect(paths(app)).toEqual(['Test/Outer/Inner/Raw']);
  });

  test('an eligible NestedStack passes, and the register applies inside it', () => {
    const eligible = synthesized((stack) => {
      new CfnResource(new NestedStack(stack, 'Nested'), 'Queue', { type: 'AWS::SQS::Queue' });
    });
    expect(findings(eligible)).toEqual([]);
    const excepted = synthesized((stack) => {
      new CfnResource(new NestedStack(stack, 'Nested'), 'Runner', { type: 'AWS::AppRunner::Service' });
    });
    expect(paths(excepted, ['Test/Nested/Runner'])).toEqual([]);
  });

  test('a NestedStack whose TemplateURL is overridden to point elsewhere fails closed', () => {
    const app = synthesized((stack) => {
      const nested = new NestedStack(stack, 'Nested');
      new CfnResource(nested, 'Queue', { type: 'AWS::SQS::Queue' });
      (nested.nestedStackResource as CfnResource).addPropertyOverride(
        'TemplateURL',
        'https://example-bucket.s3.amazonaws.com/unjudged.json',
      );
    });
    const [finding, ...rest] = findings(app);
    expect(rest).toEqual([]);
    expect(finding.violatingResources[0].constructPath).toBe('Test/Nested.NestedStack/Nested.NestedStackResource');
    expect(finding.violatingResources[0].locations).toEqual(['Properties/TemplateURL']);
    expect(finding.description).toMatch(/TemplateURL was changed from the asset CDK synthesized for Test\/Nested/);
  });

  test('an AWS::CloudFormation::Stack with a TemplateURL outside the assembly fails closed', () => {
    const app = synthesized((stack) => {
      new CfnResource(stack, 'Foreign', {
        type: 'AWS::CloudFormation::Stack',
        properties: { TemplateURL: 'https://example-bucket.s3.amazonaws.com/anything.json' },
      });
    });
    const [finding, ...rest] = findings(app);
    expect(rest).toEqual([]);
    expect(finding.violatingResources[0].constructPath).toBe('Test/Foreign');
    expect(finding.description).toContain(
      'Test/Foreign is a nested stack (AWS::CloudFormation::Stack) whose template the gate cannot judge',
    );
    expect(finding.description).toContain('not the template of a CDK NestedStack in this assembly');
    expect(finding.fix).toMatch(/CDK NestedStack/);
  });
});
