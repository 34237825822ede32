/**
 * A small TURN client over UDP for the relay tests (RFC 8656 with RFC 8489 long-term credentials and RFC 6156
 * address families). It returns exact STUN error codes instead of timing out on failures, and it only sends
 * Binding, Allocate, CreatePermission and Refresh: CreatePermission installs state in the server and puts no packet
 * on the wire towards the peer, so probing denied addresses is safe.
 *
 * Every wait is bounded: a request is retransmitted a fixed number of times, then fails with code 'timeout'.
 */
import type { IpFamily } from '../../../lib/relay/ip-address';
import {
  Attr,
  MessageClass,
  Method,
  attr,
  decodeChannelData,
  decodeMessage,
  decodeXorAddress,
  encodeChannelData,
  encodeMessage,
  errorCode,
  getAttribute,
  longTermKey,
  newTransactionId,
  verifyIntegrity,
  xorAddress,
  type Attribute,
  type StunMessage,
  type TransportAddress,
} from './stun-message';
import { streamTransport, udpTransport, type StunTransport, type TlsOptions } from './stun-transport';

export type TurnFailure = { ok: false; code: number | 'timeout' | 'bad-integrity'; reason: string };
export type TurnResult<T> = ({ ok: true } & T) | TurnFailure;

export interface TurnServerAddress {
  readonly host: string;
  readonly port: number;
}

const RETRANSMIT_MS = 250;
const MAX_SENDS = 8; // about 2 s per request, then 'timeout'

/** Builds a request's attributes; XOR-PEER-ADDRESS depends on the transaction id, so it is built per request. */
type AttributeBuilder = (transactionId: Buffer) => Attribute[];

export type ClientTransport = { kind: 'udp' } | { kind: 'tcp' } | { kind: 'tls'; tls: TlsOptions };

export class TurnClient {
  private socket: StunTransport;
  private realm?: Buffer;
  private nonce?: Buffer;
  private key?: Buffer;
  private readonly waiting = new Map<string, (m: StunMessage) => void>();
  private dataHandler?: (data: Buffer) => void;

  constructor(
    private readonly server: TurnServerAddress,
    private readonly username: string,
    private readonly password: string,
    private readonly transport: ClientTransport = { kind: 'udp' },
  ) {
    this.socket = this.openSocket();
  }

  private openSocket(): StunTransport {
    const socket =
      this.transport.kind === 'udp'
        ? udpTransport(this.server)
        : streamTransport(this.server, this.transport.kind === 'tls' ? this.transport.tls : undefined);
    socket.onMessage((raw) => {
      const channelData = decodeChannelData(raw);
      if (channelData) return this.dataHandler?.(channelData.data);
      const message = decodeMessage(raw);
      if (!message) return;
      if (message.method === Method.Data && message.cls === MessageClass.Indication) {
        const data = getAttribute(message, Attr.Data);
        if (data) this.dataHandler?.(data);
        return;
      }
      this.waiting.get(message.transactionId.toString('hex'))?.(message);
    });
    return socket;
  }

  /** Sends a request and waits for the matching response, retransmitting on a fixed schedule (RFC 8489 6.2.1). */
  private transact(method: number, build: AttributeBuilder, signed: boolean): Promise<StunMessage | undefined> {
    const transactionId = newTransactionId();
    const bytes = encodeMessage(method, MessageClass.Request, transactionId, build(transactionId), {
      integrityKey: signed ? this.key : undefined,
      fingerprint: true,
    });
    const id = transactionId.toString('hex');
    return new Promise((resolve) => {
      let sends = 0;
      let timer: NodeJS.Timeout | undefined;
      const send = (): void => {
        if (sends >= MAX_SENDS) {
          this.waiting.delete(id);
          resolve(undefined);
          return;
        }
        sends += 1;
        // Streams are reliable: send once, then wait out the same total time.
        if (sends === 1 || !this.socket.reliable) this.socket.send(bytes);
        timer = setTimeout(send, RETRANSMIT_MS);
      };
      this.waiting.set(id, (message) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        resolve(message);
      });
      send();
    });
  }

  /** A request signed with the long-term credential; a 438 (stale nonce) is retried once with the new nonce. */
  private async signed(method: number, build: AttributeBuilder): Promise<TurnResult<{ response: StunMessage }>> {
    if (!this.realm || !this.nonce || !this.key) throw new Error('no realm/nonce yet: allocate first');
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const realm = this.realm;
      const nonce = this.nonce;
      const response = await this.transact(
        method,
        (id) => [...build(id), attr.username(this.username), attr.realm(realm), attr.nonce(nonce)],
        true,
      );
      if (!response) return { ok: false, code: 'timeout', reason: 'no response' };
      const error = errorCode(response);
      if (response.cls === MessageClass.Error && error?.code === 438) {
        this.nonce = getAttribute(response, Attr.Nonce) ?? this.nonce;
        continue;
      }
      if (response.cls === MessageClass.Error)
        return { ok: false, code: error?.code ?? 0, reason: error?.reason ?? '' };
      if (!verifyIntegrity(response, this.key)) {
        return { ok: false, code: 'bad-integrity', reason: 'response MESSAGE-INTEGRITY did not verify' };
      }
      return { ok: true, response };
    }
    return { ok: false, code: 438, reason: 'stale nonce twice' };
  }

  /** STUN Binding without credentials: tells when the server is answering. */
  async binding(): Promise<TurnResult<{ mapped: TransportAddress }>> {
    const response = await this.transact(Method.Binding, () => [], false);
    if (!response) return { ok: false, code: 'timeout', reason: 'no response' };
    const mapped = getAttribute(response, Attr.XorMappedAddress);
    if (response.cls !== MessageClass.Success || !mapped) {
      return { ok: false, code: errorCode(response)?.code ?? 0, reason: 'binding failed' };
    }
    return { ok: true, mapped: decodeXorAddress(mapped, response.transactionId) };
  }

  /**
   * Allocates a relay of the given family (UDP unless a TCP relay, RFC 6062, is asked for): the unauthenticated request must get 401 with REALM and NONCE, then
   * the signed request is sent.
   */
  async allocate(
    family: IpFamily = 4,
    transport: 'udp' | 'tcp' = 'udp',
  ): Promise<TurnResult<{ relayed: TransportAddress }>> {
    const base = (): Attribute[] => [
      attr.requestedTransport(transport === 'udp' ? 17 : 6),
      ...(family === 6 ? [attr.requestedAddressFamily(6)] : []),
    ];
    let challenge = await this.transact(Method.Allocate, base, false);
    if (challenge && errorCode(challenge)?.code === 437 && this.transport.kind === 'udp') {
      // 437 before any credential was sent: the server still holds an allocation on this 5-tuple, i.e. the OS gave
      // this socket the source port of an earlier client whose allocation coturn has not released yet. RFC 8656
      // (7.4) says to retry from a different client address; once, so a server that answers 437 to everything
      // still fails here.
      await this.socket.close();
      this.socket = this.openSocket();
      challenge = await this.transact(Method.Allocate, base, false);
    }
    if (!challenge) return { ok: false, code: 'timeout', reason: this.socket.error()?.message ?? 'no response' };
    const error = errorCode(challenge);
    if (challenge.cls !== MessageClass.Error || error?.code !== 401) {
      return { ok: false, code: error?.code ?? 0, reason: `expected a 401 challenge, got ${error?.code ?? 'success'}` };
    }
    this.realm = getAttribute(challenge, Attr.Realm);
    this.nonce = getAttribute(challenge, Attr.Nonce);
    if (!this.realm || !this.nonce) return { ok: false, code: 401, reason: 'challenge without REALM/NONCE' };
    this.key = longTermKey(this.username, this.realm.toString('utf8'), this.password);
    const result = await this.signed(Method.Allocate, base);
    if (!result.ok) return result;
    const relayed = getAttribute(result.response, Attr.XorRelayedAddress);
    if (!relayed) return { ok: false, code: 0, reason: 'no XOR-RELAYED-ADDRESS' };
    return { ok: true, relayed: decodeXorAddress(relayed, result.response.transactionId) };
  }

  /** CreatePermission for a peer address (the port does not matter to permissions, RFC 8656 9). */
  async createPermission(peerIp: string): Promise<TurnResult<object>> {
    const result = await this.signed(Method.CreatePermission, (id) => [
      { type: Attr.XorPeerAddress, value: xorAddress(peerIp, 0, id) },
    ]);
    return result.ok ? { ok: true } : result;
  }

  /** Binds a channel (0x4000-0x4FFF) to a peer; also installs the permission. */
  async channelBind(channel: number, peer: TransportAddress): Promise<TurnResult<object>> {
    const result = await this.signed(Method.ChannelBind, (id) => [
      attr.channelNumber(channel),
      { type: Attr.XorPeerAddress, value: xorAddress(peer.ip, peer.port, id) },
    ]);
    return result.ok ? { ok: true } : result;
  }

  /** Refreshes the allocation (RFC 8656 7): a signed request on the session, as a live call sends every few minutes. */
  async refresh(lifetimeSeconds: number): Promise<TurnResult<object>> {
    const result = await this.signed(Method.Refresh, () => [attr.lifetime(lifetimeSeconds)]);
    return result.ok ? { ok: true } : result;
  }

  /** Sends data on a bound channel (ChannelData: 4 bytes of framing, no attributes). */
  sendChannelData(channel: number, data: Buffer): void {
    this.socket.send(encodeChannelData(channel, data));
  }

  /** Receives DATA from Data indications and ChannelData (what peers sent to the relayed address). */
  onData(handler: (data: Buffer) => void): void {
    this.dataHandler = handler;
  }

  /**
   * Sends data to a peer through the relay with a Send indication (RFC 8656 11). Only for peers the caller owns:
   * the benchmark's own relayed addresses inside its private namespace.
   */
  sendIndication(peer: TransportAddress, data: Buffer): void {
    const id = newTransactionId();
    const attributes = [
      { type: Attr.XorPeerAddress, value: xorAddress(peer.ip, peer.port, id) },
      { type: Attr.Data, value: data },
    ];
    this.socket.send(encodeMessage(Method.Send, MessageClass.Indication, id, attributes));
  }

  /** Releases the allocation (Refresh with LIFETIME 0) if there is one, then closes the socket. */
  async close(): Promise<void> {
    if (this.key) await this.signed(Method.Refresh, () => [attr.lifetime(0)]).catch(() => undefined);
    await this.socket.close();
  }
}
