// The demo page: two peers in one page, both through the relay, with a live status panel.
import { startPeer } from './peer-client.js';

const ROWS = [
  ['signaling', (s) => s.signaling],
  ['TURN URLs', (s) => s.turnUrls.join(' ')],
  ['candidate types gathered', (s) => [...new Set(s.localCandidateTypes)].join(', ') || '-'],
  ['candidate errors', (s) => s.candidateErrors.map((e) => e.errorCode).join(', ') || 'none'],
  ['connection', (s) => s.connectionState],
  ['DTLS', (s) => s.dtlsState ?? '-'],
  [
    'selected pair',
    (s) =>
      s.selectedPair
        ? `${s.selectedPair.localType}/${s.selectedPair.remoteType} via ${s.selectedPair.localRelayProtocol ?? '?'}`
        : '-',
  ],
  ['video frames decoded', (s) => s.videoFramesDecoded],
  ['inbound video kbit/s', (s) => s.inboundVideoKbps],
  ['data messages received', (s) => s.dataMessagesReceived],
];
const statuses = { A: null, B: null };
window.demoStatus = statuses;
function render() {
  const body = document.querySelector('#status tbody');
  body.replaceChildren(
    ...ROWS.map(([name, read]) => {
      const row = document.createElement('tr');
      row.append(Object.assign(document.createElement('th'), { textContent: name }));
      for (const key of ['A', 'B']) {
        const cell = document.createElement('td');
        cell.textContent = statuses[key] ? String(read(statuses[key])) : '-';
        if (name === 'selected pair' && statuses[key]?.selectedPair) {
          cell.className = statuses[key].selectedPair.localType === 'relay' ? 'ok' : 'bad';
        }
        row.append(cell);
      }
      return row;
    }),
  );
}
render();
const session = await (await fetch('/demo-session', { method: 'POST' })).json();
for (const [index, key] of ['A', 'B'].entries()) {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
  await startPeer({
    signalingUrl: session.signalingUrl,
    token: session.tokens[index],
    roomId: session.roomId,
    label: key,
    videoElement: document.getElementById(`video-${key.toLowerCase()}`),
    stream,
    onUpdate: (status) => {
      statuses[key] = status;
      render();
    },
  });
}
