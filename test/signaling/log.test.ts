import { powertoolsLog, sanitizeFields, type LogFields } from '../../lib/signaling/log';

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
    // reason holds a settings problem for operators (up to 256); other strings stay at 128.
    expect(sanitizeFields({ reason: 'x'.repeat(1000) }).reason).toHaveLength(256);
    expect(sanitizeFields({ route: 'x'.repeat(1000) }).route).toHaveLength(128);
  });
});

describe('powertoolsLog', () => {
  test('writes structured JSON with only the allowed fields', () => {
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
      const log = powertoolsLog('test-service');
      log.info('handled', { route: 'join', connectionId: 'abc', ...({ body: 'SENTINEL-SDP' } as LogFields) });
      log.error('failed', { errorName: 'TypeError', ...({ token: 'SENTINEL-TOKEN' } as LogFields) });
    } finally {
      [...spies, ...consoleSpies].forEach((spy) => spy.mockRestore());
    }
    const text = written.join('\n');
    expect(text).toContain('"connectionId":"abc"');
    expect(text).toContain('"errorName":"TypeError"');
    expect(text).not.toContain('SENTINEL');
  });
});
