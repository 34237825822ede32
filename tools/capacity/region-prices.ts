/**
 * What a relay costs in each region a fleet may run in: the Linux on-demand price of every instance type the model
 * knows, and the Internet egress price (data transfer out), each with the page it was read from and the date it was
 * read. Capacity does not depend on the region (an instance type has the same vCPUs and bandwidth everywhere); cost
 * does, so a region's figures are the model's with that region's prices.
 *
 * A price no source read here confirms is `{ unverified }`: the model then still gives capacity, but no dollar amount
 * that depends on it. A region missing from this table has no figures at all: asking for one fails, naming this file.
 * Read 2026-12-04 through stored copies (no live web access on the development host); us-east-1 is the figures of
 * instance-profiles.ts, read 2026-11-27.
 */
import type { EgressPrice, Figure, SourcedFigure, UnverifiedFigure } from './capacity-types';
import { CapacityModelError, isSourced } from './capacity-validation';
import { RELAY_INSTANCE_PROFILES, US_EAST_1_EGRESS } from './instance-profiles';

export const REGION_PRICES_FILE = 'tools/capacity/region-prices.ts';

/** When the figures below that are not us-east-1's were looked for. */
const READ_ON = '2026-12-04';

export interface RegionPrices {
  readonly region: string;
  /** AWS's name for the region, as its pricing pages list it. */
  readonly location: string;
  /** Linux on-demand $/h per instance type; every type of RELAY_INSTANCE_PROFILES, sourced or unverified. */
  readonly onDemandUsdPerHour: Readonly<Record<string, Figure>>;
  readonly egress: EgressPrice;
}

const EGRESS_TIER = US_EAST_1_EGRESS.tier;

function unverifiedInstancePrices(region: string, location: string): Record<string, UnverifiedFigure> {
  return Object.fromEntries(
    RELAY_INSTANCE_PROFILES.map((p) => [
      p.instanceType,
      {
        unverified:
          `the Linux on-demand price of ${p.instanceType} in ${region} was not in any source read here ` +
          `(${READ_ON}); read it from https://aws.amazon.com/ec2/pricing/on-demand/ (${location}) and add it to ` +
          `${REGION_PRICES_FILE} with the date read`,
      },
    ]),
  );
}

function unverifiedEgress(region: string, location: string): UnverifiedFigure {
  return {
    unverified:
      `the price of data transfer out of ${region} to the Internet was not in any source read here (${READ_ON}); ` +
      `read "Data Transfer OUT From Amazon EC2 To Internet" for ${location} on ` +
      `https://aws.amazon.com/ec2/pricing/on-demand/ and add it to ${REGION_PRICES_FILE} with the date read`,
  };
}

function unverifiedInRegion(region: string): UnverifiedFigure {
  return {
    unverified:
      `the price of media sent between two relays of the fleet over their public addresses inside ${region} was not ` +
      'in any AWS source read here; read "Data Transfer within the same AWS Region" on ' +
      'https://aws.amazon.com/ec2/pricing/on-demand/ and supply it (both directions if AWS bills both)',
  };
}

/** A region for which no price was confirmed: capacity figures only, every dollar amount unverified. */
function unconfirmedRegion(region: string, location: string, egress?: SourcedFigure): RegionPrices {
  return {
    region,
    location,
    onDemandUsdPerHour: unverifiedInstancePrices(region, location),
    egress: {
      region,
      tier: EGRESS_TIER,
      usdPerGb: egress ?? unverifiedEgress(region, location),
      inRegionUsdPerGb: unverifiedInRegion(region),
    },
  };
}

/**
 * The regions a relay fleet is planned in: the example config's allowed regions (us-east-1, us-east-2, us-west-2)
 * and two more a North American or European telehealth platform would ask about (ca-central-1, eu-west-1).
 */
export const REGION_PRICES: readonly RegionPrices[] = [
  {
    region: 'us-east-1',
    location: 'US East (N. Virginia)',
    onDemandUsdPerHour: Object.fromEntries(RELAY_INSTANCE_PROFILES.map((p) => [p.instanceType, p.onDemandUsdPerHour])),
    egress: US_EAST_1_EGRESS,
  },
  unconfirmedRegion('us-east-2', 'US East (Ohio)'),
  unconfirmedRegion('us-west-2', 'US West (Oregon)', {
    value: 0.09,
    source: {
      url: 'https://awscostguide.notion.site/Regions-AZ-and-data-transfer-costs-47d9c039e623473dbe989bd9babbfe2a',
      readOn: READ_ON,
      note:
        'Third-party guide (undated): "Data going out to the Internet: Region specific, tiered pricing. For Oregon, ' +
        'it starts at $0.09/GB for first 10 TB." Not read from https://aws.amazon.com/ec2/pricing/on-demand/: confirm ' +
        'there before budgeting.',
    },
  }),
  unconfirmedRegion('ca-central-1', 'Canada (Central)'),
  unconfirmedRegion('eu-west-1', 'Europe (Ireland)'),
];

/**
 * A region's entry must price that region, and every sourced price must say when it was read: a reading without a
 * date cannot be judged stale. Checked on every lookup, so a hand-edited table fails at the first use.
 */
function checkRegionPrices(prices: RegionPrices): RegionPrices {
  const problem = (what: string) =>
    new CapacityModelError(`capacity model: ${REGION_PRICES_FILE}, region ${prices.region}: ${what}`);
  if (prices.egress.region !== prices.region) {
    throw problem(`its egress price is for ${prices.egress.region}; give ${prices.region}'s own`);
  }
  const figures: [string, Figure][] = [
    ...Object.entries(prices.onDemandUsdPerHour).map(([type, f]): [string, Figure] => [`on-demand ${type}`, f]),
    ['Internet egress', prices.egress.usdPerGb],
    ['in-region', prices.egress.inRegionUsdPerGb],
  ];
  for (const [name, figure] of figures) {
    if (isSourced(figure) && !figure.source.readOn) {
      throw problem(`the ${name} price has no readOn date; add the date it was read (YYYY-MM-DD)`);
    }
  }
  return prices;
}

/** A region's prices; fails for a region with no price data, naming the file to extend. */
export function regionPrices(region: string, table: readonly RegionPrices[] = REGION_PRICES): RegionPrices {
  const found = table.find((r) => r.region === region);
  if (!found) {
    const known = table.map((r) => r.region).join(', ');
    throw new CapacityModelError(
      `capacity model: no price data for relay region ${region} (known: ${known}); add its on-demand and ` +
        `data-transfer-out prices to ${REGION_PRICES_FILE}, each with its source and the date read, or ` +
        '{ unverified: "<what to supply>" } where no source confirms one',
    );
  }
  return checkRegionPrices(found);
}

/** The on-demand price of one instance type in one region; fails when the region's table lacks the type. */
export function onDemandPriceIn(
  region: string,
  instanceType: string,
  table: readonly RegionPrices[] = REGION_PRICES,
): Figure {
  const price = regionPrices(region, table).onDemandUsdPerHour[instanceType];
  if (!price) {
    throw new CapacityModelError(
      `capacity model: ${REGION_PRICES_FILE} has no on-demand price (sourced or unverified) for ${instanceType} in ` +
        `${region}; add one`,
    );
  }
  return price;
}
