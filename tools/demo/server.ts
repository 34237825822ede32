/**
 * Serves the diagnostic pages (tools/demo/public) on 127.0.0.1, next to a running signaling harness. `POST
 * /demo-session` issues two short-lived tokens for a fresh, random room: the demo never uses real identities.
 *
 * Every request must name this server in its Host header (127.0.0.1 or localhost, with its port). A page on another
 * site could otherwise rebind its own hostname to 127.0.0.1 (DNS rebinding) and, being same-origin with itself, POST
 * /demo-session and read the tokens; its requests carry its own hostname as Host, so they are refused with 421.
 */
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import type { SignalingHarness } from '../dev/harness';

const PUBLIC_DIR = path.join(__dirname, 'public');
const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
};

export interface DemoServer {
  readonly url: string;
  stop(): Promise<void>;
}

/** True for `127.0.0.1:<port>` and `localhost:<port>` (any case), and nothing else: no other name, no other port. */
export function isOwnHost(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return [`127.0.0.1:${port}`, `localhost:${port}`].includes(host.toLowerCase());
}

const opaque = (bytes: number) => randomBytes(bytes).toString('base64url');

export async function startDemoServer(harness: SignalingHarness, port = 0): Promise<DemoServer> {
  const server: Server = createServer((request, response) => {
    const { port } = server.address() as AddressInfo;
    if (!isOwnHost(request.headers.host, port)) {
      response.writeHead(421, { 'content-type': 'text/plain' });
      response.end(`Misdirected request: open this page as http://127.0.0.1:${port}/ or http://localhost:${port}/`);
      return;
    }
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    if (request.method === 'POST' && url.pathname === '/demo-session') {
      const roomId = opaque(12);
      void Promise.all(
        ['a', 'b'].map(() => harness.issuer.issueToken({ sub: opaque(16), rooms: [roomId], expiresIn: 900 })),
      ).then((tokens) => {
        response.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
        response.end(JSON.stringify({ signalingUrl: harness.url, roomId, tokens }));
      });
      return;
    }
    const name = url.pathname === '/' ? 'index.html' : url.pathname.slice(1);
    // Only the files that exist in public/, by exact name: no path traversal, no directory listing.
    const files = fs.readdirSync(PUBLIC_DIR);
    if (request.method !== 'GET' || !files.includes(name)) {
      response.writeHead(404, { 'content-type': 'text/plain' });
      response.end('not found');
      return;
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[path.extname(name)] ?? 'application/octet-stream',
      'content-security-policy': "default-src 'self'; connect-src 'self' ws://127.0.0.1:* ws://localhost:*",
    });
    response.end(fs.readFileSync(path.join(PUBLIC_DIR, name)));
  });
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  const address = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${address.port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
