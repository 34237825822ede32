/**
 * A private network namespace for one test run: loopback plus a veth pair carrying documentation addresses
 * (RFC 5737 TEST-NET-3), so the relay runs with the production deny list unchanged (documentation ranges are not on
 * it) and nothing inside can reach any network outside the namespace: it has no route out.
 */
import { run } from './run';

export interface TestNetns {
  readonly name: string;
  /** The relay's address (listening and relay address of coturn). */
  readonly relayIp: string;
  /** The other end of the veth pair. */
  readonly peerIp: string;
  destroy(): void;
}

export function createTestNetns(): TestNetns {
  const name = `hrtc-e2e-${process.pid}`;
  const relayIp = '203.0.113.1';
  const peerIp = '203.0.113.2';
  // A leftover from a crashed run with the same pid would make `add` fail; remove it first.
  spawnQuietly(['netns', 'del', name]);
  run('ip', ['netns', 'add', name]);
  try {
    run('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
    run('ip', ['-n', name, 'link', 'add', 'hrtc0', 'type', 'veth', 'peer', 'name', 'hrtc1']);
    run('ip', ['-n', name, 'addr', 'add', `${relayIp}/24`, 'dev', 'hrtc0']);
    run('ip', ['-n', name, 'addr', 'add', `${peerIp}/24`, 'dev', 'hrtc1']);
    run('ip', ['-n', name, 'link', 'set', 'hrtc0', 'up']);
    run('ip', ['-n', name, 'link', 'set', 'hrtc1', 'up']);
    const routes = run('ip', ['-n', name, 'route', 'show']);
    if (/default/.test(routes)) throw new Error(`namespace ${name} unexpectedly has a default route: ${routes}`);
  } catch (error) {
    spawnQuietly(['netns', 'del', name]);
    throw error;
  }
  return { name, relayIp, peerIp, destroy: () => spawnQuietly(['netns', 'del', name]) };
}

function spawnQuietly(args: string[]): void {
  try {
    run('ip', args);
  } catch {
    // Absent already: nothing to do.
  }
}

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
