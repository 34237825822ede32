// hipaa-rtc browser peer: signaling over the WebSocket API, TURN credentials from `ice-servers`, media forced through
// the relay (iceTransportPolicy "relay"). Used by the demo page (two peers in one page) and the end-to-end test (one
// peer per page). Plain ES module, no build step: it is a diagnostic client, not an app.

const STATS_INTERVAL_MS = 500;
const DATA_INTERVAL_MS = 200;

/** Keeps only the TURN URLs of one transport ('udp', 'tcp' or 'tls'), to test each path on its own. */
export function onlyTransport(iceServers, transport) {
  const matches = (url) =>
    transport === 'tls'
      ? url.startsWith('turns:')
      : url.startsWith('turn:') &&
        (url.includes(`transport=${transport}`) || (transport === 'udp' && !url.includes('transport=')));
  return iceServers
    .map((server) => ({ ...server, urls: [server.urls].flat().filter(matches) }))
    .filter((server) => server.urls.length > 0);
}

/**
 * Starts one peer. Resolves once signaling is open and the room is joined; the call then proceeds on its own.
 * @param {{ signalingUrl: string, token: string, roomId: string, label: string, videoElement?: HTMLVideoElement,
 *           stream: MediaStream, onUpdate?: (status: object) => void, turnTtlSeconds?: number,
 *           turnTransport?: 'udp' | 'tcp' | 'tls', iceServersOverride?: object[],
 *           tokenSource?: 'query' | 'protocol-header' }} options
 * `iceServersOverride` skips the `ice-servers` request (diagnostics: e.g. prove that expired credentials fail).
 * `tokenSource` must match the deployment's `signaling.tokenSource`: 'query' (default) puts the token in the URL,
 * 'protocol-header' offers it as a `bearer.<jwt>` subprotocol beside the signaling one, which the server echoes.
 */
export async function startPeer(options) {
  const status = {
    label: options.label,
    signaling: 'connecting',
    connectionId: null,
    iceServersExpiresAt: null,
    turnUrls: [],
    localCandidateTypes: [],
    candidateErrors: [],
    iceConnectionState: 'new',
    connectionState: 'new',
    dtlsState: null,
    selectedPair: null,
    videoFramesDecoded: 0,
    inboundVideoKbps: 0,
    dataMessagesReceived: 0,
    dataMessagesSent: 0,
    signalsReceived: 0,
    errors: [],
    timeline: { started: performance.now() },
  };
  const update = () => options.onUpdate?.(structuredClone(status));
  const mark = (name) => {
    if (status.timeline[name] === undefined) status.timeline[name] = performance.now();
  };

  const ws =
    options.tokenSource === 'protocol-header'
      ? new WebSocket(options.signalingUrl, ['hipaa-rtc.signaling.v1', `bearer.${options.token}`])
      : new WebSocket(`${options.signalingUrl}?token=${encodeURIComponent(options.token)}`);
  let pc = null;
  let remote = null;
  let iceServers = null;
  let requests = 0;
  const pendingCandidates = [];
  const send = (message) => ws.send(JSON.stringify({ ...message, requestId: `${options.label}-${++requests}` }));

  function useIceServers(servers) {
    iceServers = options.turnTransport ? onlyTransport(servers, options.turnTransport) : servers;
    status.turnUrls = iceServers.flatMap((server) => [server.urls].flat());
  }

  function createConnection() {
    // max-bundle: one ICE transport for audio, video and data from the first offer. The default ('balanced') makes
    // the offerer gather for every m-line until the answer arrives: three times the TURN allocations, on one relay
    // username, so a machine with two networks already passes coturn's user-quota (10) and gets 486s.
    pc = new RTCPeerConnection({ iceServers, iceTransportPolicy: 'relay', bundlePolicy: 'max-bundle' });
    for (const track of options.stream.getTracks()) pc.addTrack(track, options.stream);
    pc.onicecandidate = (event) => {
      if (!event.candidate) return;
      status.localCandidateTypes.push(event.candidate.type);
      if (remote) send({ action: 'signal', to: remote, kind: 'candidate', payload: event.candidate.toJSON() });
      update();
    };
    pc.onicecandidateerror = (event) => {
      status.candidateErrors.push({ errorCode: event.errorCode, url: event.url });
      update();
    };
    pc.oniceconnectionstatechange = () => {
      status.iceConnectionState = pc.iceConnectionState;
      update();
    };
    pc.onconnectionstatechange = () => {
      status.connectionState = pc.connectionState;
      if (pc.connectionState === 'connected') mark('connected');
      update();
    };
    pc.ontrack = (event) => {
      if (options.videoElement && event.track.kind === 'video') {
        const video = options.videoElement;
        video.srcObject = event.streams[0];
        video.play().catch(() => {});
        // The first relayed frame painted, to the frame (the stats poll below only sees it to the nearest 500 ms).
        video.requestVideoFrameCallback?.(() => {
          mark('firstFrame');
          update();
        });
      }
    };
    pc.ondatachannel = (event) => wireChannel(event.channel);
  }

  function wireChannel(channel) {
    channel.onmessage = () => {
      status.dataMessagesReceived += 1;
      mark('firstData');
    };
    channel.onopen = () => {
      const timer = setInterval(() => {
        if (channel.readyState !== 'open') return clearInterval(timer);
        channel.send(`${options.label} ${status.dataMessagesSent}`);
        status.dataMessagesSent += 1;
      }, DATA_INTERVAL_MS);
    };
  }

  async function call(peer) {
    remote = peer;
    createConnection();
    wireChannel(pc.createDataChannel('diagnostics'));
    await pc.setLocalDescription(await pc.createOffer());
    send({ action: 'signal', to: remote, kind: 'offer', payload: pc.localDescription.sdp });
  }

  async function onSignal(message) {
    if (message.kind === 'offer') {
      remote = message.from;
      createConnection();
      await pc.setRemoteDescription({ type: 'offer', sdp: message.payload });
      await pc.setLocalDescription(await pc.createAnswer());
      send({ action: 'signal', to: remote, kind: 'answer', payload: pc.localDescription.sdp });
      for (const candidate of pendingCandidates.splice(0)) await pc.addIceCandidate(candidate);
    } else if (message.kind === 'answer') {
      await pc.setRemoteDescription({ type: 'answer', sdp: message.payload });
      for (const candidate of pendingCandidates.splice(0)) await pc.addIceCandidate(candidate);
    } else if (message.kind === 'candidate') {
      if (pc?.remoteDescription) await pc.addIceCandidate(message.payload);
      else pendingCandidates.push(message.payload);
    }
  }

  const joined = new Promise((resolve, reject) => {
    ws.onopen = () => {
      status.signaling = 'open';
      mark('signalingOpen');
      if (options.iceServersOverride) {
        useIceServers(options.iceServersOverride);
        send({ action: 'join', roomId: options.roomId });
      } else {
        const ttl = options.turnTtlSeconds ? { ttlSeconds: options.turnTtlSeconds } : {};
        send({ action: 'ice-servers', ...ttl });
      }
      update();
    };
    ws.onclose = (event) => {
      status.signaling = `closed (${event.code})`;
      update();
      reject(new Error(`signaling closed before joining (${event.code})`));
    };
    ws.onerror = () => {
      status.signaling = 'error';
      update();
    };
    ws.onmessage = async (event) => {
      const message = JSON.parse(event.data);
      try {
        if (message.type === 'ice-servers') {
          useIceServers(message.iceServers);
          status.iceServersExpiresAt = message.expiresAt;
          send({ action: 'join', roomId: options.roomId });
        } else if (message.type === 'joined') {
          status.signaling = 'joined';
          status.connectionId = message.connectionId;
          mark('joined');
          resolve();
          if (message.peers.length > 0) await call(message.peers[0]);
        } else if (message.type === 'signal') {
          status.signalsReceived += 1;
          await onSignal(message);
        } else if (message.type === 'error') {
          status.errors.push(`${message.code}: ${message.message}`);
          reject(new Error(`${message.code}: ${message.message}`));
        }
      } catch (error) {
        status.errors.push(String(error));
      }
      update();
    };
  });

  let lastBytes = 0;
  let lastTime = performance.now();
  const statsTimer = setInterval(async () => {
    if (!pc) return;
    const report = await pc.getStats();
    let transport = null;
    report.forEach((entry) => {
      if (entry.type === 'transport') transport = entry;
    });
    status.dtlsState = transport?.dtlsState ?? null;
    const pair = transport?.selectedCandidatePairId ? report.get(transport.selectedCandidatePairId) : null;
    if (pair) {
      const local = report.get(pair.localCandidateId);
      const remoteCandidate = report.get(pair.remoteCandidateId);
      status.selectedPair = {
        state: pair.state,
        localType: local?.candidateType,
        remoteType: remoteCandidate?.candidateType,
        localAddress: local?.address,
        localRelayProtocol: local?.relayProtocol,
        localUrl: local?.url,
        remoteAddress: remoteCandidate?.address,
        protocol: local?.protocol,
      };
    }
    report.forEach((entry) => {
      if (entry.type === 'inbound-rtp' && entry.kind === 'video') {
        status.videoFramesDecoded = entry.framesDecoded ?? 0;
        if (status.videoFramesDecoded > 0) mark('firstFrame');
        const now = performance.now();
        const bytes = entry.bytesReceived ?? 0;
        status.inboundVideoKbps = Math.round(((bytes - lastBytes) * 8) / (now - lastTime));
        lastBytes = bytes;
        lastTime = now;
      }
    });
    update();
  }, STATS_INTERVAL_MS);

  await joined;
  return {
    status: () => structuredClone(status),
    close() {
      clearInterval(statsTimer);
      pc?.close();
      ws.close();
    },
  };
}
