/**
 * The network namespace of `npm run demo` (a browser on this host calls through coturn in it). The end-to-end lab builds
 * its namespaces from the templates instead: tools/lab/deployed-path/topology.ts.
 */
import { run } from './run';

export interface HostLinkedNetns {
  readonly name: string;
  /** The namespace end: the relay listens and relays here. */
  readonly relayIp: string;
  /** The host end, reachable from this machine's browsers. */
  readonly hostIp: string;
  destroy(): void;
}

/**
 * A namespace joined to this host by a veth pair (RFC 5737 TEST-NET-2, a /30): a browser on this machine reaches
 * the relay inside, and the namespace has no route anywhere else. Used by `npm run demo`.
 */
export function createHostLinkedNetns(): HostLinkedNetns {
  const name = `hrtc-demo-${process.pid}`;
  const hostLink = `hrtcd${process.pid % 10000}`;
  const nsLink = `${hostLink}n`;
  const hostIp = '198.51.100.1';
  const relayIp = '198.51.100.2';
  quietly(['netns', 'del', name]);
  quietly(['link', 'del', hostLink]);
  run('ip', ['netns', 'add', name]);
  try {
    run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    run('ip', ['link', 'add', hostLink, 'type', 'veth', 'peer', 'name', nsLink, 'netns', name]);
    run('ip', ['addr', 'add', `${hostIp}/30`, 'dev', hostLink]);
    run('ip', ['link', 'set', hostLink, 'up']);
    run('ip', ['-n', name, 'addr', 'add', `${relayIp}/30`, 'dev', nsLink]);
    run('ip', ['-n', name, 'link', 'set', nsLink, 'up']);
  } catch (error) {
    quietly(['link', 'del', hostLink]);
    quietly(['netns', 'del', name]);
    throw error;
  }
  return {
    name,
    relayIp,
    hostIp,
    destroy: () => {
      quietly(['link', 'del', hostLink]);
      quietly(['netns', 'del', name]);
    },
  };
}

function quietly(args: string[]): void {
  try {
    run('ip', args);
  } catch {
    // Absent already: nothing to do.
  }
}
