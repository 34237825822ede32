/**
 * Per-region capacity and cost (tools/capacity/region-capacity.ts, region-prices.ts): a region's figures use that
 * region's prices and no other's, capacity is the instance type's everywhere, a region with no price data or a price
 * without a read date is refused by name, the fleet arithmetic by hand, the price table itself, and
 * docs/relay-regions-cost.md against its generator.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { example } from '../../config/example';
import { relayCapacity } from '../../tools/capacity/capacity-model';
import type { Dollars, Provenance } from '../../tools/capacity/capacity-types';
import { CapacityModelError, isSourced } from '../../tools/capacity/capacity-validation';
import { RELAY_INSTANCE_PROFILES } from '../../tools/capacity/instance-profiles';
import { instanceProfileIn, regionFleet } from '../../tools/capacity/region-capacity';
import { instancePrices, REGION_PRICES, regionPrices, type RegionPrices } from '../../tools/capacity/region-prices';
import {
  AUDIO_ONE_SIDE_RELAYED,
  CALL_PROFILES,
  EXAMPLE_FLEET,
  PRODUCTION_PLANNING,
  REGION_PLANNING,
  VIDEO_ONE_SIDE_RELAYED,
} from '../../scripts/capacity/planning-inputs';

const ROOT = join(__dirname, '..', '..');
const READ: Provenance = { url: 'https://example.org/price', readOn: '2026-12-04', note: 'test price' };

function usd(amount: Dollars): number {
  if (amount.kind !== 'usd') throw new Error(`unverified: ${amount.reason}`);
  return amount.value;
}

/** A made-up region priced unlike us-east-1, to show that a region's figures follow its own prices. */
function testRegion(overrides: Partial<RegionPrices> = {}): RegionPrices {
  return {
    region: 'xx-test-1',
    location: 'Test',
    onDemandUsdPerHour: Object.fromEntries(
      RELAY_INSTANCE_PROFILES.map((p) => [p.instanceType, { value: 0.2, source: READ }]),
    ),
    egress: {
      region: 'xx-test-1',
      tier: 'first tier',
      usdPerGb: { value: 0.05, source: READ },
      inRegionUsdPerGb: { value: 0.01, source: READ },
    },
    ...overrides,
  };
}

describe('a region is priced with its own prices', () => {
  const table = [testRegion()];
  const home = regionFleet(EXAMPLE_FLEET, VIDEO_ONE_SIDE_RELAYED, 'us-east-1', REGION_PLANNING);
  const other = regionFleet(EXAMPLE_FLEET, VIDEO_ONE_SIDE_RELAYED, 'xx-test-1', REGION_PLANNING, table);

  it('capacity is the instance type’s in every region; the egress price is the region’s', () => {
    expect(other.perRelay.participantsPerRelay).toBe(home.perRelay.participantsPerRelay);
    expect(other.perRelay.bindingLimit).toBe(home.perRelay.bindingLimit);
    const gb = other.perRelay.perParticipant.internetEgressGbPerHour;
    expect(usd(other.perRelay.egressUsdPerParticipantHour)).toBeCloseTo(gb * 0.05, 12);
    expect(usd(home.perRelay.egressUsdPerParticipantHour)).toBeCloseTo(gb * 0.09, 12);
  });

  it('fleet figures by hand: participants at min and max size, idle floor, full load', () => {
    const per = other.perRelay.participantsPerRelay;
    expect(other.minParticipants).toBe(2 * per);
    expect(other.maxParticipants).toBe(6 * per);
    expect(usd(other.idleUsdPerHour)).toBeCloseTo(2 * 0.2, 12);
    const egressPerRelayHour = per * other.perRelay.perParticipant.internetEgressGbPerHour * 0.05;
    expect(usd(other.fullLoadUsdPerHour)).toBeCloseTo(6 * (0.2 + egressPerRelayHour), 9);
    expect(usd(home.idleUsdPerHour)).toBeCloseTo(2 * 0.0624, 12);
  });

  it('us-east-1 gives exactly the figures of docs/capacity.md (same model, same prices)', () => {
    const direct = relayCapacity({
      instance: instanceProfileIn('c7gn.medium', 'us-east-1'),
      call: VIDEO_ONE_SIDE_RELAYED,
      ...PRODUCTION_PLANNING,
    });
    const published = relayCapacity({
      instance: RELAY_INSTANCE_PROFILES.find((p) => p.instanceType === 'c7gn.medium')!,
      call: VIDEO_ONE_SIDE_RELAYED,
      ...PRODUCTION_PLANNING,
    });
    expect(home.perRelay).toEqual(direct);
    expect(direct).toEqual(published);
  });

  it('an unconfirmed instance price leaves capacity and egress, and no instance, total or fleet dollars', () => {
    const reason = 'test: no on-demand price for c7gn.medium in xx-test-1';
    const table = [testRegion({ onDemandUsdPerHour: { 'c7gn.medium': { unverified: reason } } })];
    const r = regionFleet(EXAMPLE_FLEET, AUDIO_ONE_SIDE_RELAYED, 'xx-test-1', REGION_PLANNING, table);
    const priced = regionFleet(EXAMPLE_FLEET, AUDIO_ONE_SIDE_RELAYED, 'us-east-1', REGION_PLANNING);
    expect(r.perRelay.participantsPerRelay).toBe(priced.perRelay.participantsPerRelay);
    expect(r.perRelay.egressUsdPerParticipantHour.kind).toBe('usd');
    for (const amount of [r.perRelay.totalUsdPerParticipantHour, r.idleUsdPerHour, r.fullLoadUsdPerHour]) {
      expect(amount).toEqual({ kind: 'unverified', reason: expect.stringContaining(reason) });
    }
  });
});

describe('a region’s on-demand prices as read', () => {
  const read = instancePrices('xx-test-1', 'Test', { 'c7gn.medium': 0.07 }, 'was not in the test source');

  it('every type the model knows: the ones read sourced, with the region’s catalog copy and the read date', () => {
    expect(Object.keys(read).sort()).toEqual(RELAY_INSTANCE_PROFILES.map((p) => p.instanceType).sort());
    const medium = read['c7gn.medium']!;
    if (!isSourced(medium)) throw new Error('c7gn.medium should be sourced');
    expect(medium.value).toBe(0.07);
    expect(medium.source.url).toMatch(/^https:\/\/github\.com\/skypilot-org\/skypilot-catalog\/blob\/[0-9a-f]{40}\//);
    expect(medium.source.copyOf).toContain('/AmazonEC2/current/xx-test-1/');
    expect(medium.source.readOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('the ones not read unverified, saying why and where to read them', () => {
    const large = read['c7gn.large']!;
    if (isSourced(large)) throw new Error('c7gn.large should be unverified');
    expect(large.unverified).toContain('c7gn.large in xx-test-1 was not in the test source');
    expect(large.unverified).toContain('https://aws.amazon.com/ec2/pricing/on-demand/ (Test)');
  });

  it('refuses a price for a type the model does not know (a typo in the table)', () => {
    expect(() => instancePrices('xx-test-1', 'Test', { 'c7gn.mediun': 0.07 })).toThrow(
      /region xx-test-1: prices for c7gn\.mediun, which RELAY_INSTANCE_PROFILES does not list/,
    );
  });
});

describe('fails closed', () => {
  it('a region with no price data, naming it and the file to extend', () => {
    const refuse = () => regionFleet(EXAMPLE_FLEET, VIDEO_ONE_SIDE_RELAYED, 'ap-south-1', REGION_PLANNING);
    expect(refuse).toThrow(CapacityModelError);
    expect(refuse).toThrow(
      /no price data for relay region ap-south-1 \(known: us-east-1, .*tools\/capacity\/region-prices\.ts/,
    );
  });

  it('an instance type the region does not list', () => {
    const table = [testRegion({ onDemandUsdPerHour: {} })];
    expect(() => instanceProfileIn('c7gn.medium', 'xx-test-1', table)).toThrow(
      /has no on-demand price \(sourced or unverified\) for c7gn\.medium in xx-test-1/,
    );
  });

  it('a sourced price without the date it was read', () => {
    const undated: Provenance = { url: READ.url, note: READ.note };
    const table = [testRegion({ onDemandUsdPerHour: { 'c7gn.medium': { value: 0.2, source: undated } } })];
    expect(() => regionPrices('xx-test-1', table)).toThrow(
      /region xx-test-1: the on-demand c7gn\.medium price has no readOn date/,
    );
  });

  it('an egress price that belongs to another region', () => {
    const table = [testRegion({ egress: { ...testRegion().egress, region: 'us-east-1' } })];
    expect(() => regionPrices('xx-test-1', table)).toThrow(/its egress price is for us-east-1; give xx-test-1's own/);
  });

  it('a fleet whose bounds make no sense', () => {
    expect(() =>
      regionFleet({ ...EXAMPLE_FLEET, minCapacity: 7 }, VIDEO_ONE_SIDE_RELAYED, 'us-east-1', REGION_PLANNING),
    ).toThrow(/1 <= min <= max \(got 7-6\)/);
  });
});

describe('the price table', () => {
  it('covers the example config’s allowed regions, each once, every known instance type in each', () => {
    const regions = REGION_PRICES.map((r) => r.region);
    expect(new Set(regions).size).toBe(regions.length);
    expect(regions).toEqual(expect.arrayContaining(example.allowedRegions));
    for (const prices of REGION_PRICES) {
      expect(Object.keys(prices.onDemandUsdPerHour).sort()).toEqual(
        RELAY_INSTANCE_PROFILES.map((p) => p.instanceType).sort(),
      );
    }
  });

  it('every price is sourced with a URL and a read date, or unconfirmed with what to supply', () => {
    for (const prices of REGION_PRICES) {
      const p = regionPrices(prices.region);
      for (const figure of [...Object.values(p.onDemandUsdPerHour), p.egress.usdPerGb, p.egress.inRegionUsdPerGb]) {
        if (isSourced(figure)) {
          expect(figure.source.url).toMatch(/^https:\/\//);
          expect(figure.source.readOn).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        } else {
          expect(figure.unverified).toContain(prices.region);
          expect(figure.unverified).toMatch(/https:\/\/aws\.amazon\.com\//);
        }
      }
    }
  });

  it('every region runs through the model with every call profile', () => {
    for (const prices of REGION_PRICES) {
      for (const call of CALL_PROFILES) {
        expect(regionFleet(EXAMPLE_FLEET, call, prices.region, REGION_PLANNING).maxParticipants).toBeGreaterThan(0);
      }
    }
  });

  it('the example fleet is the one config/example.ts deploys', () => {
    expect(EXAMPLE_FLEET).toEqual({
      instanceType: example.relay.instanceType,
      minCapacity: example.relay.regions[0]!.minCapacity,
      maxCapacity: example.relay.regions[0]!.maxCapacity,
    });
  });
});

describe('docs/relay-regions-cost.md', () => {
  const check = (doc?: string) =>
    spawnSync(
      'npx',
      ['tsx', 'scripts/capacity/capacity-table.ts', '--check', '--which', 'regions', ...(doc ? ['--doc', doc] : [])],
      { cwd: ROOT, encoding: 'utf8', timeout: 60_000 },
    );

  it('is exactly what scripts/capacity/capacity-table.ts generates, and the check fails a changed copy', () => {
    expect(check().status).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'regions-cost-doc-'));
    try {
      const doc = readFileSync(join(ROOT, 'docs', 'relay-regions-cost.md'), 'utf8');
      const copy = join(dir, 'relay-regions-cost.md');
      const figure = '| 0.0705      | https://github.com/skypilot-org';
      expect(doc).toContain(figure);
      writeFileSync(copy, doc.replace(figure, figure.replace('0.0705', '0.0624')));
      const result = check(copy);
      expect(result.status).toBe(1);
      expect(result.stderr).toContain('is out of date');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
