/**
 * Regenerates lib/compliance/eligibility/data/cfn-resource-types.json from the installed aws-cdk-lib.
 * Run after upgrading aws-cdk-lib: `npx tsx scripts/generate-cfn-resource-types.ts`. New types then get a verdict
 * from their namespace instead of failing closed as unknown.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { resourceTypesFromCdkLib } from '../lib/compliance/eligibility/cfn-resource-types';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const cdkVersion = (require('aws-cdk-lib/package.json') as { version: string }).version;
const types = resourceTypesFromCdkLib();
const target = path.join(__dirname, '..', 'lib', 'compliance', 'eligibility', 'data', 'cfn-resource-types.json');
fs.writeFileSync(target, `${JSON.stringify({ source: `aws-cdk-lib ${cdkVersion}`, types }, null, 1)}\n`);
console.log(`${types.length} resource types from aws-cdk-lib ${cdkVersion} -> ${path.relative(process.cwd(), target)}`);
