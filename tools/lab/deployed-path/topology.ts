/**
 * The lab's network namespaces, joined by veth pairs, with documentation addresses only (RFC 5737) and no default
 * route anywhere. One client namespace, and per relay region a load-balancer stand-in and a relay:
 *
 *   client 198.51.100.2   --- 198.51.100.1  stand-in 0 203.0.113.1  --- 203.0.113.10 relay 0 (coturn)
 *   client 198.51.100.66  --- 198.51.100.65 stand-in 1 203.0.113.65 --- 203.0.113.74 relay 1 (coturn)
 *
 * Region i uses the i-th /26 of 198.51.100.0/24 (the "internet" side) and of 203.0.113.0/24 (inside its VPC), so
 * every address is distinct across regions. 198.51.100.0/24 as a whole stands for the internet: each stand-in and
 * relay routes all of it back through its own links, so a reply reaches the client whichever of its addresses Chromium
 * sent from. With one region this is the original three-namespace lab.
 *
 * The client reaches nothing but the stand-ins' front addresses, which the relay name maps to. A stand-in forwards
 * only what its nftables ruleset (from its region's template) forwards; its relay routes replies back through it.
 */
import { run } from '../run';
import type { LabAddresses } from './nft-rules';

export interface RegionTopology {
  readonly loadBalancer: string;
  readonly relay: string;
  readonly addresses: LabAddresses;
}

export interface LabTopology {
  readonly client: string;
  /** Region 0's namespaces and addresses (the whole lab when there is one region). */
  readonly loadBalancer: string;
  readonly relay: string;
  readonly addresses: LabAddresses;
  readonly regions: readonly RegionTopology[];
  /** Loads an nftables ruleset into a namespace (atomically: the text replaces its table). */
  applyRuleset(netns: string, text: string): void;
  /** Packets counted on each named counter of a table in a namespace. */
  counters(netns: string, table: string): Record<string, number>;
  destroy(): void;
}

const INTERNET = '198.51.100.0/24';
/** The lab has room for four regions: a /26 each of the two /24s. */
export const MAX_LAB_REGIONS = 4;

/** Region i's addresses (region 0's are the original lab's). */
export function labAddresses(region: number): LabAddresses {
  if (!Number.isInteger(region) || region < 0 || region >= MAX_LAB_REGIONS)
    throw new Error(`the lab has addresses for regions 0 to ${MAX_LAB_REGIONS - 1}, not ${region}`);
  const base = 64 * region;
  return {
    clientIp: `198.51.100.${base + 2}`,
    frontIp: `198.51.100.${base + 1}`,
    frontLink: 'lbfront',
    backIp: `203.0.113.${base + 1}`,
    backLink: 'lbback',
    relayIp: `203.0.113.${base + 10}`,
    relayLink: 'eni0',
  };
}

export const LAB_ADDRESSES: LabAddresses = labAddresses(0);

function quietly(args: string[]): void {
  try {
    run('ip', args);
  } catch {
    // Absent already: nothing to do.
  }
}

export function createLabTopology(regionCount = 1): LabTopology {
  if (!Number.isInteger(regionCount) || regionCount < 1 || regionCount > MAX_LAB_REGIONS)
    throw new Error(`the lab runs 1 to ${MAX_LAB_REGIONS} relay regions, not ${regionCount}`);
  const suffix = `${process.pid}`;
  const client = `hrtc-client-${suffix}`;
  const regions: RegionTopology[] = Array.from({ length: regionCount }, (_, i) => ({
    loadBalancer: i === 0 ? `hrtc-lb-${suffix}` : `hrtc-lb${i}-${suffix}`,
    relay: i === 0 ? `hrtc-relay-${suffix}` : `hrtc-relay${i}-${suffix}`,
    addresses: labAddresses(i),
  }));
  const all = [client, ...regions.flatMap((r) => [r.loadBalancer, r.relay])];
  const destroy = () => all.forEach((ns) => quietly(['netns', 'del', ns]));
  destroy(); // a leftover from a crashed run with the same pid
  try {
    for (const ns of all) {
      run('ip', ['netns', 'add', ns]);
      run('ip', ['-n', ns, 'link', 'set', 'lo', 'up']);
      // IPv4 only, like the template's rules that matter here: no IPv6 sockets in Chromium, no neighbour discovery.
      for (const scope of ['all', 'default', 'lo']) {
        run('ip', ['netns', 'exec', ns, 'sysctl', '-qw', `net.ipv6.conf.${scope}.disable_ipv6=1`]);
      }
    }
    const link = (nsA: string, ifA: string, ipA: string, nsB: string, ifB: string, ipB: string) => {
      run('ip', ['-n', nsA, 'link', 'add', ifA, 'type', 'veth', 'peer', 'name', ifB, 'netns', nsB]);
      run('ip', ['-n', nsA, 'addr', 'add', `${ipA}/26`, 'dev', ifA]);
      run('ip', ['-n', nsB, 'addr', 'add', `${ipB}/26`, 'dev', ifB]);
      run('ip', ['-n', nsA, 'link', 'set', ifA, 'up']);
      run('ip', ['-n', nsB, 'link', 'set', ifB, 'up']);
    };
    regions.forEach(({ loadBalancer, relay, addresses: a }, i) => {
      link(client, `client${i}`, a.clientIp, loadBalancer, a.frontLink, a.frontIp);
      link(loadBalancer, a.backLink, a.backIp, relay, a.relayLink, a.relayIp);
      run('ip', ['netns', 'exec', loadBalancer, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
      // The client's other addresses are elsewhere on the internet: reached through the front link, as by a router.
      run('ip', ['-n', loadBalancer, 'route', 'add', INTERNET, 'dev', a.frontLink]);
      // Replies to clients (whose address the load balancer keeps) go back through the stand-in.
      run('ip', ['-n', relay, 'route', 'add', INTERNET, 'via', a.backIp]);
    });
    for (const ns of all) {
      const routes = run('ip', ['-n', ns, 'route', 'show']);
      if (/default/.test(routes)) throw new Error(`namespace ${ns} unexpectedly has a default route: ${routes}`);
    }
  } catch (error) {
    destroy();
    throw error;
  }
  return {
    client,
    loadBalancer: regions[0].loadBalancer,
    relay: regions[0].relay,
    addresses: regions[0].addresses,
    regions,
    applyRuleset: (netns, text) => {
      run('ip', ['netns', 'exec', netns, 'nft', '-f', '-'], 20_000, text);
    },
    counters: (netns, table) => {
      const json = JSON.parse(
        run('ip', ['netns', 'exec', netns, 'nft', '-j', 'list', 'counters', 'table', 'inet', table]),
      ) as {
        nftables: Array<{ counter?: { name: string; packets: number } }>;
      };
      return Object.fromEntries(json.nftables.flatMap((e) => (e.counter ? [[e.counter.name, e.counter.packets]] : [])));
    },
    destroy,
  };
}
