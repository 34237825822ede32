/**
 * The demo server answers only requests addressed to it by name (127.0.0.1 or localhost with its port): a page that
 * rebinds its own hostname to 127.0.0.1 (DNS rebinding) must not get demo tokens.
 */
import { request } from 'node:http';
import { isOwnHost, startDemoServer, type DemoServer } from '../../tools/demo/server';
import { startSignalingHarness, type SignalingHarness } from '../../tools/dev/harness';

jest.setTimeout(60_000);

let harness: SignalingHarness;
let demo: DemoServer;
let port: number;

beforeAll(async () => {
  harness = await startSignalingHarness({ maxRoomSize: 2 });
  demo = await startDemoServer(harness);
  port = Number(new URL(demo.url).port);
});

afterAll(async () => {
  await demo?.stop();
  await harness?.stop();
});

/** One request to the demo server on 127.0.0.1, with the Host header a browser would send for `host`. */
function send(method: string, path: string, host: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path, headers: { host } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('POST /demo-session with a foreign Host (DNS rebinding) is refused with 421 and no token', async () => {
  for (const host of [
    `attacker.example:${port}`,
    'attacker.example',
    `127.0.0.1:${port + 1}`,
    `127.0.0.1.nip.io:${port}`,
  ]) {
    const answer = await send('POST', '/demo-session', host);
    expect({ host, status: answer.status }).toEqual({ host, status: 421 });
    expect(answer.body).not.toMatch(/token|eyJ/);
    expect(answer.body).toContain(`http://127.0.0.1:${port}/`);
  }
  // The page itself is refused too, so a rebinding page cannot even load the scripts.
  expect((await send('GET', '/', `attacker.example:${port}`)).status).toBe(421);
});

test('the same request addressed to 127.0.0.1 or localhost gets a session', async () => {
  for (const host of [`127.0.0.1:${port}`, `localhost:${port}`]) {
    const answer = await send('POST', '/demo-session', host);
    expect(answer.status).toBe(200);
    const session = JSON.parse(answer.body) as { tokens: string[]; roomId: string; signalingUrl: string };
    expect(session.tokens).toHaveLength(2);
    expect(session.signalingUrl).toBe(harness.url);
  }
  expect((await send('GET', '/', `127.0.0.1:${port}`)).status).toBe(200);
});

test('isOwnHost accepts exactly the two loopback names with the port', () => {
  expect(isOwnHost('127.0.0.1:8080', 8080)).toBe(true);
  expect(isOwnHost('LOCALHOST:8080', 8080)).toBe(true);
  expect(isOwnHost(undefined, 8080)).toBe(false);
  expect(isOwnHost('127.0.0.1', 8080)).toBe(false);
  expect(isOwnHost('[::1]:8080', 8080)).toBe(false);
  expect(isOwnHost('127.0.0.1:8080.evil', 8080)).toBe(false);
});
