/**
 * Runs `run` with everything a logger could write captured instead of printed: the process streams (where Powertools
 * writes) and the console methods. Returns the captured text, so a test can check what really came out.
 */
export function captureOutput(run: () => void): string {
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
    run();
  } finally {
    [...spies, ...consoleSpies].forEach((spy) => spy.mockRestore());
  }
  return written.join('\n');
}
