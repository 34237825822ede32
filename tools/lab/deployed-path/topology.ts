/**
 * The lab's three network namespaces, joined by veth pairs, with documentation addresses only (RFC 5737) and no
 * default route anywhere:
 *
 *   client (Chromium, signaling, pages) 198.51.100.2 --- 198.51.100.1 load-balancer stand-in 203.0.113.1 --- 203.0.113.10 relay (coturn)
 *
 * The client reaches nothing but the stand-in's front address, which the relay name maps to. The stand-in forwards
 * only what its nftables ruleset (from the template) forwards; the relay routes its replies back through it.
 */
import { run } from '../run';
import type { LabAddresses } from './nft-rules';

export interface LabTopology {
  readonly client: string;
  readonly loadBalancer: string;
  readonly relay: string;
  readonly addresses: LabAddresses;
  /** Loads an nftables ruleset into a namespace (atomically: the text replaces its table). */
  applyRuleset(netns: string, text: string): void;
  /** Packets counted on each named counter of a table in a namespace. */
  counters(netns: string, table: string): Record<string, number>;
  destroy(): void;
}

export const LAB_ADDRESSES: LabAddresses = {
  clientIp: '198.51.100.2',
  frontIp: '198.51.100.1',
  frontLink: 'lbfront',
  backIp: '203.0.113.1',
  backLink: 'lbback',
  relayIp: '203.0.113.10',
  relayLink: 'eni0',
};

function quietly(args: string[]): void {
  try {
    run('ip', args);
  } catch {
    // Absent already: nothing to do.
  }
}

export function createLabTopology(): LabTopology {
  const suffix = `${process.pid}`;
  const client = `hrtc-client-${suffix}`;
  const loadBalancer = `hrtc-lb-${suffix}`;
  const relay = `hrtc-relay-${suffix}`;
  const a = LAB_ADDRESSES;
  const all = [client, loadBalancer, relay];
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
    const link = (nsA: string, ifA: string, ipA: string, nsB: string, ifB: string, ipB: string, prefix: number) => {
      run('ip', ['-n', nsA, 'link', 'add', ifA, 'type', 'veth', 'peer', 'name', ifB, 'netns', nsB]);
      run('ip', ['-n', nsA, 'addr', 'add', `${ipA}/${prefix}`, 'dev', ifA]);
      run('ip', ['-n', nsB, 'addr', 'add', `${ipB}/${prefix}`, 'dev', ifB]);
      run('ip', ['-n', nsA, 'link', 'set', ifA, 'up']);
      run('ip', ['-n', nsB, 'link', 'set', ifB, 'up']);
    };
    link(client, 'client0', a.clientIp, loadBalancer, a.frontLink, a.frontIp, 24);
    link(loadBalancer, a.backLink, a.backIp, relay, a.relayLink, a.relayIp, 24);
    run('ip', ['netns', 'exec', loadBalancer, 'sysctl', '-qw', 'net.ipv4.ip_forward=1']);
    // Replies to clients (whose address the load balancer keeps) go back through the stand-in.
    run('ip', ['-n', relay, 'route', 'add', `${a.clientIp.replace(/\.\d+$/, '.0')}/24`, 'via', a.backIp]);
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
    loadBalancer,
    relay,
    addresses: a,
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
