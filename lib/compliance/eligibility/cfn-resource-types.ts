/**
 * Enumerates every CloudFormation resource type that aws-cdk-lib knows, from the `CFN_RESOURCE_TYPE_NAME` of its
 * generated L1 classes. Used by scripts/generate-cfn-resource-types.ts to write data/cfn-resource-types.json, and by
 * a test that fails when the committed file is out of date with the installed aws-cdk-lib.
 */
export function resourceTypesFromCdkLib(): string[] {
  // Loaded lazily: requiring every service module costs about two seconds, which synth must not pay.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const lib = require('aws-cdk-lib') as Record<string, unknown>;
  const types = new Set<string>();
  const visit = (value: unknown) => {
    if (typeof value !== 'function') return;
    const name = (value as { CFN_RESOURCE_TYPE_NAME?: unknown }).CFN_RESOURCE_TYPE_NAME;
    if (typeof name === 'string') types.add(name);
  };
  for (const exported of Object.values(lib)) {
    visit(exported);
    if (exported && typeof exported === 'object') for (const member of Object.values(exported)) visit(member);
  }
  return [...types].sort();
}
