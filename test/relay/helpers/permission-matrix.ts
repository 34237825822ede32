/**
 * Runs CreatePermission for a list of peers over one allocation and returns peer -> 'ok' or the error code.
 * CreatePermission installs server state only; no packet goes to any peer.
 */
import type { IpFamily } from '../../../lib/relay/ip-address';
import { TurnClient } from '../../../tools/lab/coturn/turn-client';

export async function permissionMatrix(
  server: { host: string; port: number },
  user: { username: string; credential: string },
  family: IpFamily,
  peers: readonly string[],
): Promise<Record<string, number | string>> {
  const client = new TurnClient(server, user.username, user.credential);
  try {
    const allocation = await client.allocate(family);
    if (!allocation.ok) throw new Error(`allocation failed: ${allocation.code} ${allocation.reason}`);
    const out: Record<string, number | string> = {};
    for (const peer of peers) {
      const result = await client.createPermission(peer);
      out[peer] = result.ok ? 'ok' : result.code;
    }
    return out;
  } finally {
    await client.close();
  }
}
