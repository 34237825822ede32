/**
 * Call setup time: from the moment the calling page opens its signaling WebSocket until relayed video frames are
 * decoded, through the same lab as the end-to-end test (private namespaces built from the synthesized templates:
 * the TURN URLs' name resolved to a load-balancer stand-in with the template's listeners and security groups, coturn
 * with the production config behind it, signaling harness, Debian's Chromium; docs/lab.md). Median of several calls, each in a fresh room with fresh pages.
 */
import { startCallLab } from '../../tools/lab/lab';
import { openPeer, opaqueId, relayMediaFlowing, waitForStatus } from '../../tools/lab/peer-page';
import { median } from './measure';

export interface CallBenchResult {
  readonly calls: number;
  readonly transport: string;
  /** Caller: WebSocket opened -> ICE/DTLS connected. */
  readonly connectedMs: number[];
  /** Caller: WebSocket opened -> first relayed video frame decoded. */
  readonly firstFrameMs: number[];
  readonly coturnVersion: string;
}

export async function benchCalls(calls: number, transport: 'udp' | 'tcp' | 'tls' = 'udp'): Promise<CallBenchResult> {
  const lab = await startCallLab();
  const { stack, browser } = lab;
  const connectedMs: number[] = [];
  const firstFrameMs: number[] = [];
  try {
    for (let i = 0; i < calls; i += 1) {
      const roomId = opaqueId();
      const open = async (label: string) =>
        openPeer(browser, stack.pageUrl, {
          signalingUrl: stack.signalingUrl,
          token: await stack.token({ sub: opaqueId(), rooms: [roomId], expiresIn: 300 }),
          roomId,
          label,
          transport,
        });
      const callee = await open('callee');
      await waitForStatus(callee, (s) => s.status?.signaling === 'joined', 10_000);
      const caller = await open('caller');
      const { status } = await waitForStatus(caller, relayMediaFlowing, 30_000);
      const t = status!.timeline;
      connectedMs.push(t.connected - t.started);
      firstFrameMs.push(t.firstFrame - t.started);
      await Promise.all([callee.close(), caller.close()]);
    }
  } finally {
    await lab.stop();
  }
  return { calls, transport, connectedMs, firstFrameMs, coturnVersion: stack.coturnVersion };
}

export function callMarkdown(results: readonly CallBenchResult[]): string {
  const row = (r: CallBenchResult) =>
    `| TURN/${r.transport} | ${r.calls} | ${median(r.connectedMs).toFixed(0)} ms | ${median(r.firstFrameMs).toFixed(0)} ms | ${Math.max(...r.firstFrameMs).toFixed(0)} ms |`;
  return [
    '## Call setup through the relay',
    '',
    `Real Chromium pages in private network namespaces, through a load-balancer stand-in built from the Relay template (docs/lab.md), signaling harness (real handlers, dynalite), coturn ${results[0]?.coturnVersion ?? '?'} with the production config; iceTransportPolicy "relay". Timed in the calling page from opening the signaling WebSocket (before \`ice-servers\` and \`join\`).`,
    '',
    '| transport | calls | median to connected | median to first relayed video frame | slowest to first frame |',
    '| --- | --- | --- | --- | --- |',
    ...results.map(row),
    '',
  ].join('\n');
}
