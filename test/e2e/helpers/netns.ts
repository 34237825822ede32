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
