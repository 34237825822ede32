import { powertoolsRotationLog, sanitizeRotationFields, type RotationLogFields } from '../../lib/relay/rotation-log';
import { captureOutput } from '../helpers/capture-output';

test('keeps allow-listed scalar fields and drops everything else', () => {
  const hostile = {
    step: 'createSecret',
    secretString: '{"current":"SENTINEL"}',
    document: { current: 'SENTINEL' },
    rotationToken: 'SENTINEL',
    versionId: { nested: 'SENTINEL' },
    writes: 1,
  };
  expect(sanitizeRotationFields(hostile as unknown as RotationLogFields)).toEqual({ step: 'createSecret', writes: 1 });
});

test('cuts strings to their field length', () => {
  expect(sanitizeRotationFields({ note: 'x'.repeat(1000) }).note).toHaveLength(128);
  expect(sanitizeRotationFields({ refusal: 'x'.repeat(5000) }).refusal).toHaveLength(1200);
});

test('Powertools writes structured JSON with only the allowed fields', () => {
  const text = captureOutput(() => {
    const log = powertoolsRotationLog('test-rotation');
    log.info('rotated', {
      step: 'finishSecret',
      outcome: 'finished',
      ...({ secret: 'SENTINEL' } as RotationLogFields),
    });
    log.error('failed', { errorName: 'TypeError', ...({ document: 'SENTINEL' } as RotationLogFields) });
  });
  expect(text).toContain('"outcome":"finished"');
  expect(text).toContain('"errorName":"TypeError"');
  expect(text).not.toContain('SENTINEL');
});
