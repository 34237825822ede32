/**
 * `npm run demo` itself: it starts (relay in its own namespace, harness, page server), serves the page and demo
 * sessions on 127.0.0.1, and removes everything it created when stopped. (The page's behaviour in a browser is
 * tested in demo-page.test.ts.)
 */
import { spawn, spawnSync } from 'node:child_process';
import * as path from 'node:path';

jest.setTimeout(60_000);
const ROOT = path.resolve(__dirname, '../..');

test('starts, serves the page and demo sessions on 127.0.0.1, and cleans up on SIGTERM', async () => {
  const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'tools/demo/main.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const deadline = Date.now() + 30_000;
    while (!stdout.includes('\n') && Date.now() < deadline && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const ready = JSON.parse(stdout.split('\n')[0] || 'null') as { url: string; coturnVersion: string } | null;
    expect({ ready, stderr: ready ? '' : stderr }).toMatchObject({
      ready: { url: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/) },
    });
    const page = await fetch(`${ready!.url}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('hipaa-rtc relay diagnostics');
    const session = (await (await fetch(`${ready!.url}/demo-session`, { method: 'POST' })).json()) as {
      tokens: string[];
      signalingUrl: string;
    };
    expect(session.tokens).toHaveLength(2);
    expect(session.signalingUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect((await fetch(`${ready!.url}/../../etc/passwd`)).status).toBe(404);
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
  const namespaces = spawnSync('ip', ['netns', 'list'], { encoding: 'utf8' }).stdout;
  expect(namespaces).not.toContain(`hrtc-demo-${child.pid}`);
});
