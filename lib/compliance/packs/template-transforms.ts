/**
 * Transforms a template asks CloudFormation to run at deploy time. A transform rewrites the template after every
 * synth-time check: `AWS::Serverless-2016-10-31` turns `AWS::Serverless::*` macros into resources (and an
 * `AWS::Serverless::Application` into a nested stack from the Serverless Application Repository), `AWS::Include`
 * splices in a template from S3, `AWS::LanguageExtensions` generates resources with `Fn::ForEach`, and a macro runs
 * arbitrary Lambda code. See https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/transform-section-structure.html
 * and https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/template-macros.html.
 *
 * The gate expands none of them, so it understands none of them: a template with any transform fails closed.
 */
export interface TemplateTransform {
  /** The transform's name, or a description when it is not a literal. */
  readonly name: string;
  /** Where it is declared: `Transform` (template section) or the JSON path of an `Fn::Transform`. */
  readonly location: string;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function transformName(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value.Name === 'string') return value.Name;
  return `a non-literal transform (${JSON.stringify(value)})`;
}

/** Every transform in a parsed template: the `Transform` section and each `Fn::Transform` anywhere in it. */
export function templateTransforms(document: Readonly<Record<string, unknown>>): TemplateTransform[] {
  const found: TemplateTransform[] = [];
  if (document.Transform !== undefined) {
    const declared = Array.isArray(document.Transform) ? document.Transform : [document.Transform];
    for (const value of declared) found.push({ name: transformName(value), location: 'Transform' });
  }
  const visit = (value: unknown, at: string): void => {
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, `${at}[${index}]`));
    if (!isRecord(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (key === 'Fn::Transform') found.push({ name: transformName(child), location: `${at}.Fn::Transform` });
      visit(child, `${at}.${key}`);
    }
  };
  for (const [section, value] of Object.entries(document)) {
    if (section !== 'Transform') visit(value, section);
  }
  return found;
}

/** What to do about a transform, for the finding. */
export function transformAdvice(name: string): string {
  switch (name) {
    case 'AWS::Serverless-2016-10-31':
      return 'Replace the SAM resources with CDK constructs (aws-lambda, aws-apigateway, ...), which synthesize the resources themselves.';
    case 'AWS::LanguageExtensions':
      return 'Write the resources out (a TypeScript loop in CDK does what Fn::ForEach does) and remove the transform.';
    case 'AWS::Include':
      return 'Import the snippet at synth time with cloudformation-include (CfnInclude) instead of splicing it in from S3.';
    default:
      return 'Remove the transform: synthesize the resources it would generate, so the gate can judge them.';
  }
}
