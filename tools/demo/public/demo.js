// The demo page: two peers in one page, both through the relay, with a live status panel. Media is generated
// (generated-media.js), so no camera or microphone is needed; every failure is shown on the page with what to do.
import { generatedStream } from './generated-media.js';
import { startPeer } from './peer-client.js';

/**
 * What a candidate error code means here. 701 is Chromium's own code (not a TURN answer): it could not reach that
 * TURN URL from one of this machine's local addresses (for example from a second interface, or over TCP where only
 * UDP gets through). It is expected while another URL carries the call; it matters only when no pair is selected.
 * Codes 300-699 are the relay's answers (RFC 8656): 401 credentials, 403 forbidden peer, 486 allocation quota.
 */
export function explainCandidateError(code) {
  if (code === 701) return '701: TURN URL unreachable from one local address (harmless while a relay pair works)';
  if (code === 401) return '401: the relay refused the credentials (expired, or signed with another secret)';
  if (code === 403) return '403: the relay refused the peer address (deny list)';
  if (code === 486) return '486: the relay allocation quota for this username is used up';
  return `${code}: TURN error`;
}

const ROWS = [
  ['signaling', (s) => s.signaling],
  ['TURN URLs', (s) => s.turnUrls.join(' ')],
  ['candidate types gathered', (s) => [...new Set(s.localCandidateTypes)].join(', ') || '-'],
  [
    'candidate errors',
    (s) => [...new Set(s.candidateErrors.map((e) => explainCandidateError(e.errorCode)))].join('; ') || 'none',
  ],
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
  ['errors', (s) => s.errors.join('; ') || 'none'],
];
const statuses = { A: null, B: null };
window.demoStatus = statuses;
/** Problems shown above the panel, each with what to do. */
const problems = [];
window.demoProblems = problems;

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
        if (name === 'errors' && statuses[key]?.errors.length) cell.className = 'bad';
        row.append(cell);
      }
      return row;
    }),
  );
  const list = document.getElementById('problems');
  list.hidden = problems.length === 0;
  list.replaceChildren(...problems.map((text) => Object.assign(document.createElement('li'), { textContent: text })));
}

function problem(what, todo) {
  problems.push(`${what} ${todo}`);
  render();
}

window.addEventListener('unhandledrejection', (event) =>
  problem(
    `Unexpected error: ${event.reason?.message ?? event.reason}.`,
    'Reload the page; if it persists, restart npm run demo.',
  ),
);

async function demoSession() {
  let response;
  try {
    response = await fetch('/demo-session', { method: 'POST' });
  } catch (error) {
    throw new Error(`the demo server did not answer (${error.message}); is npm run demo still running?`, {
      cause: error,
    });
  }
  if (!response.ok) {
    throw new Error(
      `the demo server refused a session (HTTP ${response.status}); open the page at the URL npm run demo printed`,
    );
  }
  return response.json();
}

async function main() {
  render();
  let session;
  try {
    session = await demoSession();
  } catch (error) {
    problem(`Could not start a session: ${error.message}.`, '');
    return;
  }
  for (const [index, key] of ['A', 'B'].entries()) {
    let stream;
    try {
      stream = generatedStream(key);
    } catch (error) {
      problem(`Peer ${key}: could not generate test media (${error.message}).`, 'Use a current Chromium or Firefox.');
      return;
    }
    try {
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
    } catch (error) {
      problem(
        `Peer ${key} could not join: ${error.message}.`,
        'Check that npm run demo is still running, then reload the page for a fresh session.',
      );
    }
  }
}

await main();
