import { example } from './example';
import type { HipaaRtcConfigInput } from './schema';

/**
 * The example deployment with relays in two Regions (docs/relay-regions.md): us-east-1 (home: signaling, audit, data)
 * and us-west-2. Route 53 answers the one relay name with the nearest Region whose relays are healthy, so the zone
 * that holds that name is required. Synthesizes with no AWS account, like the example: `-c config=example-two-regions`.
 */
export const exampleTwoRegions: HipaaRtcConfigInput = {
  ...example,
  relay: {
    ...example.relay,
    regions: [
      { region: 'us-east-1', minCapacity: 2, maxCapacity: 6, targetBytesOutPerSecond: 50_000_000 },
      { region: 'us-west-2', minCapacity: 2, maxCapacity: 4, targetBytesOutPerSecond: 50_000_000 },
    ],
    // Placeholder zone ID for synth only: use the ID of the public hosted zone that holds relay.domainName.
    hostedZone: { id: 'Z0000000000000EXAMPLE', name: 'example.org' },
  },
};
