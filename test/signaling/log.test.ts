import { errorFields, powertoolsLog, sanitizeFields, type LogFields } from '../../lib/signaling/log';
import { SettingsError } from '../../lib/signaling/settings';
import { captureOutput } from '../helpers/capture-output';

describe('sanitizeFields', () => {
  test('keeps allow-listed scalar fields and drops everything else', () => {
    const hostile = {
      connectionId: 'abc',
      body: 'v=0 sdp',
      token: 'eyJ',
      payload: { sdp: 'x' },
      roomId: { nested: 'x' },
      durationMs: 3,
    };
    expect(sanitizeFields(hostile as unknown as LogFields)).toEqual({ connectionId: 'abc', durationMs: 3 });
  });

  test('truncates long strings', () => {
    // reason holds a settings problem for operators (up to 512); other strings stay at 128.
    expect(sanitizeFields({ reason: 'x'.repeat(1000) }).reason).toHaveLength(512);
    expect(sanitizeFields({ route: 'x'.repeat(1000) }).route).toHaveLength(128);
  });
});

describe('powertoolsLog', () => {
  test('writes structured JSON with only the allowed fields', () => {
    const text = captureOutput(() => {
      const log = powertoolsLog('test-service');
      log.info('handled', { route: 'join', connectionId: 'abc', ...({ body: 'SENTINEL-SDP' } as LogFields) });
      log.error('failed', { errorName: 'TypeError', ...({ token: 'SENTINEL-TOKEN' } as LogFields) });
    });
    expect(text).toContain('"connectionId":"abc"');
    expect(text).toContain('"errorName":"TypeError"');
    expect(text).not.toContain('SENTINEL');
  });
});

describe('errorFields', () => {
  test("a SettingsError's message is kept (it names variables); any other error gives its class name only", () => {
    expect(errorFields(new SettingsError('TABLE_NAME is required'))).toEqual({
      errorName: 'SettingsError',
      reason: 'TABLE_NAME is required',
    });
    expect(errorFields(new TypeError('quoted input SENTINEL'))).toEqual({ errorName: 'TypeError' });
    expect(errorFields('a string')).toEqual({ errorName: 'string' });
  });

  test('an error that only calls itself SettingsError keeps its message out', () => {
    const impostor = new Error('quoted input SENTINEL');
    impostor.name = 'SettingsError';
    expect(errorFields(impostor)).toEqual({ errorName: 'SettingsError' });
  });
});
