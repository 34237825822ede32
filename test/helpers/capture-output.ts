/**
 * Captures everything a logger could write instead of printing it: the process streams (where Powertools writes)
 * and the console methods, so a test can check what really came out.
 */
export interface OutputCapture {
  text(): string;
  restore(): void;
}

/** Starts capturing; call restore() when done (in a finally). For async code under test. */
export function startCapturingOutput(): OutputCapture {
  const written: string[] = [];
  const spies = [
    ...[process.stdout, process.stderr].map((stream) =>
      jest.spyOn(stream, 'write').mockImplementation((chunk: string | Uint8Array) => {
        written.push(String(chunk));
        return true;
      }),
    ),
    ...(['info', 'warn', 'error', 'log', 'debug'] as const).map((level) =>
      jest
        .spyOn(console, level)
        .mockImplementation((...args: unknown[]) => void written.push(args.map(String).join(' '))),
    ),
  ];
  return { text: () => written.join('\n'), restore: () => spies.forEach((spy) => spy.mockRestore()) };
}

/** Runs synchronous `run` with output captured and returns the captured text. */
export function captureOutput(run: () => void): string {
  const capture = startCapturingOutput();
  try {
    run();
  } finally {
    capture.restore();
  }
  return capture.text();
}
