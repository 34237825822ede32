import { ADVANCE_EVENT, parseRotationRequest } from '../../lib/relay/rotation-event';
import { SecretRotationError } from '../../lib/relay/secret-rotation';

const ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:turn-AbCdEf';
const TOKEN = '0f8fad5b-d9cb-469f-a165-70867728950e';
const step = (fields: Record<string, unknown>) => ({
  Step: 'createSecret',
  SecretId: ARN,
  ClientRequestToken: TOKEN,
  ...fields,
});

test('the schedule input is an advance of the configured secret', () => {
  expect(parseRotationRequest({ ...ADVANCE_EVENT }, ARN)).toEqual({ kind: 'advance', secretId: ARN });
});

test.each(['createSecret', 'setSecret', 'testSecret', 'finishSecret'])('reads the %s step', (name) => {
  expect(parseRotationRequest(step({ Step: name }), ARN)).toEqual({
    kind: 'rotation-step',
    step: name,
    secretId: ARN,
    token: TOKEN,
  });
});

test('accepts the snake-case spelling the user guide also uses', () => {
  expect(parseRotationRequest(step({ Step: 'finish_secret' }), ARN)).toMatchObject({ step: 'finishSecret' });
});

test('passes RotationToken through', () => {
  expect(parseRotationRequest(step({ RotationToken: 'rt-SENTINEL' }), ARN)).toMatchObject({
    rotationToken: 'rt-SENTINEL',
  });
});

test.each<[string, unknown, RegExp]>([
  ['a string', 'advance', /not an object/],
  ['null', null, /not an object/],
  ['an advance with extra fields', { action: 'advance', Step: 'x-SENTINEL' }, /Step must be one of/],
  ['another action', { action: 'rotate-now' }, /unrecognised event/],
  ['an unknown step', step({ Step: 'dropSecret-SENTINEL' }), /Step must be one of createSecret/],
  ['another secret', step({ SecretId: `${ARN}-SENTINEL` }), /not the TURN secret this function rotates/],
  ['no token', step({ ClientRequestToken: undefined }), /ClientRequestToken must be/],
  ['a short token', step({ ClientRequestToken: 'SENTINEL' }), /ClientRequestToken must be/],
  ['a non-string RotationToken', step({ RotationToken: 42 }), /RotationToken must be a string/],
])('refuses %s without echoing the event', (_name, event, message) => {
  const attempt = () => parseRotationRequest(event, ARN);
  expect(attempt).toThrow(SecretRotationError);
  expect(attempt).toThrow(message);
  try {
    attempt();
  } catch (error) {
    expect((error as Error).message).not.toContain('SENTINEL');
  }
});
