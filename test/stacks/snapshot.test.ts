import { Template } from 'aws-cdk-lib/assertions';
import { buildExampleApp } from '../helpers/test-app';
import { normalizeTemplate } from '../helpers/normalize-template';

// One normalized snapshot per stack: a drift detector. Security properties are asserted in the stack tests.
const built = buildExampleApp();

test.each([
  ['Audit', built.audit],
  ['Detect', built.detect],
  ['Data', built.data],
  ['Guardrails', built.guardrails],
  ['Relay', built.relay],
  ['Signaling', built.signaling],
])('%s stack template matches the reviewed snapshot', (_name, stack) => {
  expect(normalizeTemplate(Template.fromStack(stack).toJSON())).toMatchSnapshot();
});
