/**
 * What a relay costs in each region a fleet may run in: the Linux on-demand price of every instance type the model
 * knows, the Internet egress price (data transfer out) and the relay-to-relay price inside the region, each with the
 * file it was read from and the date it was read. Capacity does not depend on the region (an instance type has the
 * same vCPUs and bandwidth everywhere); cost does, so a region's figures are the model's with that region's prices.
 *
 * A price no source read here confirms is `{ unverified }`: the model then still gives capacity, but no dollar amount
 * that depends on it. A region missing from this table has no figures at all: asking for one fails, naming this file.
 * Read 2026-12-04 through stored copies (no live web access on the development host): AWS's own pricing pages were not
 * among them, so every price below is AWS Price List data as a third-party repository recorded it, labelled as such.
 * us-east-1's instance prices and Internet egress are the figures of instance-profiles.ts, read 2026-11-27.
 */
import type { EgressPrice, Figure, Provenance, SourcedFigure } from './capacity-types';
import { CapacityModelError, isSourced } from './capacity-validation';
import { RELAY_INSTANCE_PROFILES, US_EAST_1_EGRESS } from './instance-profiles';
import { INFRACOST_GOLDEN, INFRACOST_HOW, inRegion, TRANSFER_PRICES_READ_ON } from './transfer-price-sources';

export const REGION_PRICES_FILE = 'tools/capacity/region-prices.ts';

/** When the figures below that are not instance-profiles.ts's were read. */
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

/** SkyPilot's AWS catalog: one row per instance type and availability zone, priced from the AWS Price List. */
const SKYPILOT_COMMIT = '27f67dd4e1bc0d35fa0ec075180ad54b230882c4';
const SKYPILOT_CATALOG = `https://github.com/skypilot-org/skypilot-catalog/blob/${SKYPILOT_COMMIT}/catalogs/v7/aws/vms.csv`;

function catalogSource(region: string): Provenance {
  return {
    url: SKYPILOT_CATALOG,
    copyOf: `https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonEC2/current/${region}/index.csv`,
    readOn: READ_ON,
    note:
      `Third-party copy of AWS Price List data: column Price of the ${region} rows (the same in every availability ` +
      "zone listed). Written by the catalog repository's update-aws-catalog workflow with " +
      "sky/catalog/data_fetchers/fetch_aws.py (skypilot-org/skypilot), which keeps the offer file's OnDemand, Linux, " +
      'no pre-installed software, CapacityStatus Used rows and lists a type only in the zones that offer it. ' +
      "The file states no date and the index does not show the commit's; its us-east-1 rows equal the 2026-02-09 " +
      'Price List reading of instance-profiles.ts, and the older stored commit 001367d gives the same c7gn and c7g ' +
      'prices. ' +
      'Confirm on https://aws.amazon.com/ec2/pricing/on-demand/ before budgeting.',
  };
}

/**
 * A region's on-demand prices as read, one per instance type of RELAY_INSTANCE_PROFILES; a type not read is
 * unverified, with `whyMissing` saying what the sources showed. A read price for a type the model does not know is a
 * typo in this file and fails at load.
 */
export function instancePrices(
  region: string,
  location: string,
  read: Readonly<Record<string, number>>,
  whyMissing = 'was not in any source read here',
): Record<string, Figure> {
  const known = new Set(RELAY_INSTANCE_PROFILES.map((p) => p.instanceType));
  const stray = Object.keys(read).filter((type) => !known.has(type));
  if (stray.length > 0) {
    throw new CapacityModelError(
      `capacity model: ${REGION_PRICES_FILE}, region ${region}: prices for ${stray.join(', ')}, which ` +
        'RELAY_INSTANCE_PROFILES does not list; fix the type or add its profile to tools/capacity/instance-profiles.ts',
    );
  }
  return Object.fromEntries(
    RELAY_INSTANCE_PROFILES.map((p): [string, Figure] => {
      const value = read[p.instanceType];
      if (value !== undefined) return [p.instanceType, { value, source: catalogSource(region) }];
      return [
        p.instanceType,
        {
          unverified:
            `the Linux on-demand price of ${p.instanceType} in ${region} ${whyMissing} ` +
            `(looked for ${READ_ON}); read it from https://aws.amazon.com/ec2/pricing/on-demand/ (${location}) and ` +
            `add it to ${REGION_PRICES_FILE} with the date read`,
        },
      ];
    }),
  );
}

/** infracost's expected output for its aws_data_transfer test: one resource per region, priced from AWS Price List. */

/** Data transfer out to the Internet, first 10 TB/month: $921.60 for 10,240 GB in the golden file, so $0.09/GB. */
function internetEgress(region: string, extra = ''): SourcedFigure {
  return {
    value: 0.09,
    source: {
      url: INFRACOST_GOLDEN,
      copyOf: 'https://aws.amazon.com/ec2/pricing/on-demand/',
      readOn: TRANSFER_PRICES_READ_ON,
      note:
        `Third-party copy of AWS Price List data: aws_data_transfer.${region}, "Outbound data transfer to Internet ` +
        '(first 10TB)": 10,240 GB for $921.60, i.e. $0.09/GB (transferType "AWS Outbound", tier ending at ' +
        `10,240 GB). ${INFRACOST_HOW}${extra} Confirm on https://aws.amazon.com/ec2/pricing/on-demand/ before budgeting.`,
    },
  };
}

function egress(region: string, extra = ''): EgressPrice {
  return { region, tier: EGRESS_TIER, usdPerGb: internetEgress(region, extra), inRegionUsdPerGb: inRegion(region) };
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
    // instance-profiles.ts has no in-region price; the same infracost reading gives us-east-1 the same rate.
    egress: US_EAST_1_EGRESS,
  },
  {
    region: 'us-east-2',
    location: 'US East (Ohio)',
    onDemandUsdPerHour: instancePrices('us-east-2', 'US East (Ohio)', {
      'c7gn.medium': 0.0624,
      'c7gn.large': 0.1248,
      'c7gn.xlarge': 0.2496,
      'c6gn.medium': 0.0432,
      'c6gn.large': 0.0864,
      'c7g.medium': 0.0361,
      'c7g.large': 0.0723,
      'm7g.large': 0.0816,
    }),
    egress: egress('us-east-2'),
  },
  {
    region: 'us-west-2',
    location: 'US West (Oregon)',
    onDemandUsdPerHour: instancePrices('us-west-2', 'US West (Oregon)', {
      'c7gn.medium': 0.0624,
      'c7gn.large': 0.1248,
      'c7gn.xlarge': 0.2496,
      'c6gn.medium': 0.0432,
      'c6gn.large': 0.0864,
      'c7g.medium': 0.0363,
      'c7g.large': 0.0725,
      'm7g.large': 0.0816,
    }),
    egress: egress(
      'us-west-2',
      ' The third-party guide ' +
        'https://awscostguide.notion.site/Regions-AZ-and-data-transfer-costs-47d9c039e623473dbe989bd9babbfe2a ' +
        '(undated) agrees: "For Oregon, it starts at $0.09/GB for first 10 TB."',
    ),
  },
  {
    region: 'ca-central-1',
    location: 'Canada (Central)',
    onDemandUsdPerHour: instancePrices(
      'ca-central-1',
      'Canada (Central)',
      {
        'c6gn.medium': 0.0473,
        'c6gn.large': 0.0946,
        'c7g.medium': 0.0395,
        'c7g.large': 0.0791,
        'm7g.large': 0.091,
      },
      `has no source here: the SkyPilot catalog (${SKYPILOT_CATALOG}), which lists a type only where an ` +
        'availability zone offers it, has ca-central-1 rows for c6gn, c7g and m7g but none for c7gn, so c7gn may not ' +
        'be offered there; check `aws ec2 describe-instance-type-offerings --region ca-central-1` first',
    ),
    egress: egress('ca-central-1'),
  },
  {
    region: 'eu-west-1',
    location: 'Europe (Ireland)',
    onDemandUsdPerHour: instancePrices('eu-west-1', 'Europe (Ireland)', {
      'c7gn.medium': 0.0705,
      'c7gn.large': 0.141,
      'c7gn.xlarge': 0.282,
      'c6gn.medium': 0.0488,
      'c6gn.large': 0.0976,
      'c7g.medium': 0.0388,
      'c7g.large': 0.0775,
      'm7g.large': 0.091,
    }),
    egress: egress('eu-west-1'),
  },
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
