import { randomBytes } from 'node:crypto';
import type { Browser, Page } from 'playwright-core';

/** What tools/demo/public/peer-client.js reports (the fields the tests read). */
export interface PeerStatus {
  signaling: string;
  connectionId: string | null;
  turnUrls: string[];
  localCandidateTypes: string[];
  candidateErrors: Array<{ errorCode: number; url: string }>;
  connectionState: string;
  dtlsState: string | null;
  selectedPair: {
    state: string;
    localType: string;
    remoteType: string;
    localAddress: string;
    localRelayProtocol?: string;
    remoteAddress: string;
  } | null;
  videoFramesDecoded: number;
  inboundVideoKbps: number;
  dataMessagesReceived: number;
  signalsReceived: number;
  errors: string[];
  timeline: Record<string, number>;
}

export const opaqueId = (bytes = 12) => randomBytes(bytes).toString('base64url');

export interface PeerOptions {
  readonly signalingUrl: string;
  readonly token?: string;
  readonly roomId: string;
  readonly label: string;
  readonly transport?: 'udp' | 'tcp' | 'tls';
  readonly iceServers?: unknown;
  /** How the page presents its token; must match the signaling URL's harness. @default 'query' */
  readonly tokenSource?: 'query' | 'protocol-header';
}

/** Opens peer.html with its parameters in the fragment (never sent to the page server). */
export async function openPeer(browser: Browser, pageUrl: string, options: PeerOptions): Promise<Page> {
  const page = await browser.newPage();
  const params = new URLSearchParams({
    signalingUrl: options.signalingUrl,
    roomId: options.roomId,
    label: options.label,
    ...(options.token ? { token: options.token } : {}),
    ...(options.transport ? { transport: options.transport } : {}),
    ...(options.tokenSource ? { tokenSource: options.tokenSource } : {}),
    ...(options.iceServers ? { iceServers: JSON.stringify(options.iceServers) } : {}),
  });
  await page.goto(`${pageUrl}/peer.html#${params}`, { timeout: 15_000 });
  return page;
}

export async function peerStatus(page: Page): Promise<{ status: PeerStatus | null; error: string | null }> {
  // A string, so the function body is evaluated in the page without DOM types in this Node project.
  return page.evaluate('({ status: window.peerStatus, error: window.peerError })');
}

/** Polls until `done` holds for the page's status; fails with the last status after `timeoutMs`. */
export async function waitForStatus(
  page: Page,
  done: (s: { status: PeerStatus | null; error: string | null }) => boolean,
  timeoutMs = 20_000,
): Promise<{ status: PeerStatus | null; error: string | null }> {
  const deadline = Date.now() + timeoutMs;
  let last = await peerStatus(page);
  while (!done(last)) {
    if (Date.now() > deadline)
      throw new Error(`condition not met in ${timeoutMs} ms; last status: ${JSON.stringify(last)}`);
    await page.waitForTimeout(250);
    last = await peerStatus(page);
  }
  return last;
}

/** Media and data are flowing through the relay on this side. */
export function relayMediaFlowing(s: { status: PeerStatus | null }): boolean {
  const status = s.status;
  return (
    status?.selectedPair?.localType === 'relay' &&
    status.dtlsState === 'connected' &&
    status.videoFramesDecoded > 10 &&
    status.dataMessagesReceived > 2
  );
}
