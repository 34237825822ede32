import { powertoolsRotationLog, sanitizeRotationFields, type RotationLogFields } from '../../lib/relay/rotation-log';

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
  const written: string[] = [];
  const spies = [process.stdout, process.stderr].map((stream) =>
    jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    }),
  );
  const consoleSpies = (['info', 'warn', 'error', 'log'] as const).map((level) =>
    jest
      .spyOn(console, level)
      .mockImplementation((...args: unknown[]) => void written.push(args.map(String).join(' '))),
  );
  try {
    const log = powertoolsRotationLog('test-rotation');
    log.info('rotated', {
      step: 'finishSecret',
      outcome: 'finished',
      ...({ secret: 'SENTINEL' } as RotationLogFields),
    });
    log.error('failed', { errorName: 'TypeError', ...({ document: 'SENTINEL' } as RotationLogFields) });
  } finally {
    [...spies, ...consoleSpies].forEach((spy) => spy.mockRestore());
  }
  const text = written.join('\n');
  expect(text).toContain('"outcome":"finished"');
  expect(text).toContain('"errorName":"TypeError"');
  expect(text).not.toContain('SENTINEL');
});
