/**
 * Every Node.js function in the app goes through StandardNodejsFunction (and so through the in-process bundler),
 * and the entries the bundler builds ahead are exactly the app's functions' entries.
 */
import * as path from 'node:path';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import { LambdaBundler, PROJECT_ROOT, discoverEntries } from '../../lib/bundling/lambda-bundler';
import { StandardNodejsFunction } from '../../lib/constructs/node-function-standard';
import { buildExampleApp } from '../helpers/test-app';

const built = buildExampleApp();
const functions = built.app.node.findAll().filter((c): c is lambda.Function => c instanceof lambda.Function);

test('every NodejsFunction in the app is a StandardNodejsFunction', () => {
  const nodejsFunctions = functions.filter((fn) => fn instanceof nodejs.NodejsFunction);
  expect(nodejsFunctions.length).toBeGreaterThanOrEqual(10);
  // Anything else would bundle through `npx esbuild` per function, with an output-directory-dependent hash.
  expect(nodejsFunctions.filter((fn) => !(fn instanceof StandardNodejsFunction)).map((fn) => fn.node.path)).toEqual([]);
});

test('the entries built ahead (modules in lambda/ exporting handler) are exactly the functions entries', () => {
  const used = new Set(
    functions
      .filter((fn): fn is StandardNodejsFunction => fn instanceof StandardNodejsFunction)
      .map((fn) => path.relative(PROJECT_ROOT, fn.entry).split(path.sep).join('/')),
  );
  expect(discoverEntries(PROJECT_ROOT, path.join(PROJECT_ROOT, 'lambda'))).toEqual([...used].sort());
});

test('with bundling switched off for the stacks (unit tests), no esbuild runs', () => {
  expect(LambdaBundler.of().builds).toEqual([]);
  const fn = functions.find((f) => f instanceof StandardNodejsFunction)!;
  const code = (fn.node.defaultChild as lambda.CfnFunction).code as lambda.CfnFunction.CodeProperty;
  expect(code.s3Key).toBeDefined();
});
