/**
 * The TURN URLs the Signaling template hands the `ice-servers` function (its TURN_URLS variable), verbatim, and what
 * each one asks of the network: which host, IP protocol and port a browser uses for it. Pure.
 */
import type { CfnTemplate } from './relay-template';

export interface TurnUrlPath {
  readonly url: string;
  readonly host: string;
  readonly port: number;
  /** What the browser sends: UDP, TCP, or TLS over TCP. */
  readonly transport: 'udp' | 'tcp' | 'tls';
  readonly ipProtocol: 'tcp' | 'udp';
}

/** Every distinct TURN_URLS value of the template's functions; exactly one is expected. */
export function turnUrlsOf(template: CfnTemplate): string[] {
  const values = new Set<string>();
  for (const [id, r] of Object.entries(template.Resources ?? {})) {
    if (r.Type !== 'AWS::Lambda::Function') continue;
    const variables = (r.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined)?.Variables;
    const raw = variables?.TURN_URLS;
    if (raw === undefined) continue;
    if (typeof raw !== 'string') throw new Error(`Signaling template: ${id} has a TURN_URLS that is not a literal`);
    values.add(raw);
  }
  if (values.size !== 1) {
    throw new Error(`Signaling template: expected one TURN_URLS value across its functions, found ${values.size}`);
  }
  return [...values][0].split(',').map((url) => url.trim());
}

/** RFC 7065 URI: `turn:` defaults to UDP on 3478, `turns:` to TLS over TCP on 5349. */
export function parseTurnUrl(url: string): TurnUrlPath {
  const match = /^(turns?):([^:?]+)(?::(\d+))?(?:\?transport=(udp|tcp))?$/.exec(url);
  if (!match) throw new Error(`TURN URL ${url} is not turn:<host>[:port][?transport=udp|tcp]`);
  const [, scheme, host, port, transport] = match;
  const secure = scheme === 'turns';
  if (secure && transport === 'udp') throw new Error(`TURN URL ${url}: DTLS (turns: over UDP) is not used here`);
  const ipProtocol = secure || transport === 'tcp' ? 'tcp' : 'udp';
  return {
    url,
    host,
    port: port ? Number(port) : secure ? 5349 : 3478,
    transport: secure ? 'tls' : ipProtocol,
    ipProtocol,
  };
}
