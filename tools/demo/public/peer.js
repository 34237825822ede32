// One peer per page (end-to-end test). Parameters come in the fragment, never sent to a server.
import { startPeer } from './peer-client.js';

const params = new URLSearchParams(location.hash.slice(1));
window.peerStatus = null;
window.peerError = null;
try {
  const stream = await navigator.mediaDevices.getUserMedia({ video: { width: 320, height: 240 }, audio: true });
  window.peerHandle = await startPeer({
    signalingUrl: params.get('signalingUrl'),
    token: params.get('token'),
    roomId: params.get('roomId'),
    label: params.get('label') ?? 'peer',
    turnTtlSeconds: params.has('ttl') ? Number(params.get('ttl')) : undefined,
    turnTransport: params.get('transport') ?? undefined,
    tokenSource: params.get('tokenSource') ?? undefined,
    iceServersOverride: params.has('iceServers') ? JSON.parse(params.get('iceServers')) : undefined,
    videoElement: document.getElementById('remote'),
    stream,
    onUpdate: (status) => (window.peerStatus = status),
  });
} catch (error) {
  window.peerError = String(error);
}
