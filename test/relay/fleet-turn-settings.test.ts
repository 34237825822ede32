/**
 * The fleet's TURN settings: one default set, and coturn's `max-allocate-lifetime` derived from the longest credential
 * signaling mints (the rotation's maxCredentialTtlSeconds), in the rendered file and in the relays' user data.
 */
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as kms from 'aws-cdk-lib/aws-kms';
import { bootScriptBlobs } from '../../lib/relay/boot-script';
import {
  DEFAULT_RELAY_TURN_SETTINGS,
  fleetTurnSettings,
  maxAllocateLifetimeFor,
  RELAY_PORTS,
} from '../../lib/relay/fleet-turn-settings';
import { reviewTurnConfig } from '../../lib/relay/production-turn-options';
import { TURN_TTL_SECONDS } from '../../lib/signaling/bounds';
import { RelayStack, type RelaySettings } from '../../lib/stacks/relay-stack';
import { newTestApp } from '../helpers/test-app';
import { RELAY_TEST_SETTINGS } from './helpers/relay-settings';

const withTtl = (maxCredentialTtlSeconds: number): RelaySettings => ({
  ...RELAY_TEST_SETTINGS,
  rotation: { ...RELAY_TEST_SETTINGS.rotation, maxCredentialTtlSeconds },
});

/** The `max-allocate-lifetime` lines of a rendered turnserver.conf. */
const lifetimes = (conf: string) => [...conf.matchAll(/^max-allocate-lifetime=(.*)$/gm)].map((m) => m[1]);

/** The turnserver.conf a Relay stack's user data writes (the blob with a realm line). */
function bootedConf(settings: RelaySettings): string {
  const app = newTestApp();
  const env = { region: 'us-east-1' };
  const keys = new Stack(app, 'Keys', { env });
  const key = (id: string) => new kms.Key(keys, id, { enableKeyRotation: true });
  const relay = new RelayStack(app, 'Relay', {
    env,
    settings,
    logKey: key('LogKey'),
    secretKey: key('SecretKey'),
    volumeKey: key('VolumeKey'),
    coturnRepository: new ecr.Repository(keys, 'Coturn'),
    coturnImageDigest: `sha256:${'b'.repeat(64)}`,
  });
  const template = Template.fromStack(relay).toJSON();
  const launchTemplate = Object.values(template.Resources as Record<string, any>).find(
    (r) => r.Type === 'AWS::EC2::LaunchTemplate',
  );
  const parts: unknown[] = launchTemplate.Properties.LaunchTemplateData.UserData['Fn::Base64']['Fn::Join'][1];
  const script = parts.filter((p): p is string => typeof p === 'string').join('');
  const confs = bootScriptBlobs(script).filter((blob) => /^realm=/m.test(blob));
  expect(confs).toHaveLength(1);
  return confs[0];
}

describe('max-allocate-lifetime follows the credential TTL', () => {
  test.each([TURN_TTL_SECONDS.min, 1800, TURN_TTL_SECONDS.default, TURN_TTL_SECONDS.max])(
    'a %i s TTL renders max-allocate-lifetime=%i and no other value',
    (ttl) => {
      expect(lifetimes(reviewTurnConfig(fleetTurnSettings(withTtl(ttl))))).toEqual([String(ttl)]);
    },
  );

  test('the relays boot with the TTL-derived value: a different TTL changes it, and the old value is gone', () => {
    const standard = bootedConf(withTtl(3600));
    const shorter = bootedConf(withTtl(1800));
    expect(lifetimes(standard)).toEqual(['3600']);
    expect(lifetimes(shorter)).toEqual(['1800']);
    expect(shorter).not.toMatch(/^max-allocate-lifetime=3600$/m);
    // Only that line moves.
    expect(shorter.replace('max-allocate-lifetime=1800', 'max-allocate-lifetime=3600')).toBe(standard);
  });

  test('a TTL outside the credential bounds is refused when rendering, naming the setting', () => {
    expect(() => reviewTurnConfig(fleetTurnSettings(withTtl(TURN_TTL_SECONDS.max + 1)))).toThrow(
      /maxAllocateLifetimeSeconds: must be an integer in 60\.\.7200/,
    );
  });
});

describe('one default set', () => {
  test('the defaults are the fleet settings of the default inputs, so the lab and benchmarks run what relays run', () => {
    const { realm, vpcCidr, ...fleet } = fleetTurnSettings({
      realm: 'turn.example.org',
      vpcCidr: '10.40.0.0/16',
      relayPortRange: DEFAULT_RELAY_TURN_SETTINGS.relayPortRange,
      quotas: DEFAULT_RELAY_TURN_SETTINGS.quotas,
      rotation: { maxCredentialTtlSeconds: TURN_TTL_SECONDS.default },
    });
    expect({ realm, vpcCidr }).toEqual({ realm: 'turn.example.org', vpcCidr: '10.40.0.0/16' });
    expect(fleet).toEqual(DEFAULT_RELAY_TURN_SETTINGS);
    expect(DEFAULT_RELAY_TURN_SETTINGS.maxAllocateLifetimeSeconds).toBe(
      maxAllocateLifetimeFor(TURN_TTL_SECONDS.default),
    );
  });

  test('a deployment sets its port range, quotas and TTL; the ports and the nonce lifetime are the defaults', () => {
    const settings = fleetTurnSettings(withTtl(1800));
    expect(settings).toEqual({
      ...DEFAULT_RELAY_TURN_SETTINGS,
      realm: RELAY_TEST_SETTINGS.realm,
      vpcCidr: RELAY_TEST_SETTINGS.vpcCidr,
      relayPortRange: RELAY_TEST_SETTINGS.relayPortRange,
      quotas: RELAY_TEST_SETTINGS.quotas,
      maxAllocateLifetimeSeconds: 1800,
    });
    expect([settings.listeningPort, settings.tlsListeningPort]).toEqual([RELAY_PORTS.turn, RELAY_PORTS.coturnTls]);
  });
});
