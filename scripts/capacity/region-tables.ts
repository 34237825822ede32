/**
 * The Markdown tables of docs/relay-regions-cost.md: the example fleet's capacity and cost in each planned region, the
 * per-region prices with where and when each was read, and what is unconfirmed. Pure (no I/O), like
 * capacity-tables.ts, so the doc and its check share one renderer.
 */
import type { CallProfile, Dollars, Figure, Provenance } from '../../tools/capacity/capacity-types';
import { isSourced } from '../../tools/capacity/capacity-validation';
import { RELAY_INSTANCE_PROFILES } from '../../tools/capacity/instance-profiles';
import { regionFleet, type RegionFleetResult } from '../../tools/capacity/region-capacity';
import { onDemandPriceIn, REGION_PRICES, regionPrices } from '../../tools/capacity/region-prices';
import { formatUsd } from './capacity-tables';
import { CALL_PROFILES, EXAMPLE_FLEET, REGION_PLANNING } from './planning-inputs';

function row(cells: readonly (string | number)[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(header: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  return [row(header), row(header.map(() => '---')), ...rows.map(row)].join('\n');
}

function fleets(call: CallProfile): RegionFleetResult[] {
  return REGION_PRICES.map((prices) => regionFleet(EXAMPLE_FLEET, call, prices.region, REGION_PLANNING));
}

/** A dollar amount, or "unconfirmed" where a price behind it is (this doc's word for the model's "unverified"). */
function usdCell(amount: Dollars): string {
  return amount.kind === 'unverified' ? 'unconfirmed' : formatUsd(amount);
}

function priceCell(figure: Figure, unit: string): string {
  return isSourced(figure) ? `${figure.value} ${unit}` : 'unconfirmed';
}

/** The example fleet in one sentence, for the doc's prose. */
export function exampleFleetLine(): string {
  const { instanceType, minCapacity, maxCapacity } = EXAMPLE_FLEET;
  return (
    `The example fleet: \`${instanceType}\` relays, ${minCapacity} to ${maxCapacity} per region ` +
    '(config/example.ts), with the production coturn limits and headroom of docs/capacity.md.'
  );
}

/** One section per call profile: one row per region. */
export function regionSections(): string {
  return CALL_PROFILES.map((call) => {
    const results = fleets(call);
    const rows = results.map((r) => {
      return [
        `${r.region} (${r.location})`,
        priceCell(onDemandPriceIn(r.region, r.fleet.instanceType), '$/h'),
        priceCell(regionPrices(r.region).egress.usdPerGb, '$/GB'),
        r.perRelay.participantsPerRelay,
        r.perRelay.bindingLimit,
        `${r.minParticipants}-${r.maxParticipants}`,
        usdCell(r.perRelay.egressUsdPerParticipantHour),
        usdCell(r.perRelay.totalUsdPerParticipantHour),
        usdCell(r.idleUsdPerHour),
        usdCell(r.fullLoadUsdPerHour),
      ];
    });
    return [
      `### ${call.name}`,
      table(
        [
          'region',
          'on-demand',
          'Internet egress',
          'participants per relay',
          'binding limit',
          'fleet participants (min-max relays)',
          'egress $ per participant-hour',
          'total $ per participant-hour',
          'fleet $/h idle (min relays)',
          'fleet $/h full (max relays)',
        ],
        rows,
      ),
    ].join('\n\n');
  }).join('\n\n');
}

function sourceCell(source: Provenance): string {
  const copy = source.copyOf ? ` (copy of ${source.copyOf})` : '';
  const asOf = source.asOf ? `; current at source ${source.asOf}` : '';
  const readOn = source.readOn ? `; read ${source.readOn}` : '; read date not recorded';
  return `${source.url}${copy}${asOf}${readOn}. ${source.note}`;
}

/** Every per-region price with its source and dates, or what must be supplied where none was confirmed. */
export function regionSourcesTable(): string {
  const rows: string[][] = [];
  for (const prices of REGION_PRICES) {
    const figures: [string, Figure][] = [
      ...RELAY_INSTANCE_PROFILES.filter((p) => p.instanceType === EXAMPLE_FLEET.instanceType).map(
        (p): [string, Figure] => [`on-demand ${p.instanceType} $/h`, prices.onDemandUsdPerHour[p.instanceType]],
      ),
      ['Internet egress $/GB', prices.egress.usdPerGb],
      ['relay-to-relay in region $/GB', prices.egress.inRegionUsdPerGb],
    ];
    figures.forEach(([name, figure], i) => {
      rows.push([
        i === 0 ? prices.region : '',
        name,
        isSourced(figure) ? String(figure.value) : 'unconfirmed',
        isSourced(figure) ? sourceCell(figure.source) : figure.unverified,
      ]);
    });
  }
  return table(['region', 'figure', 'value', 'source, or what to supply'], rows);
}

/** The regions whose figures have no dollar amount, and why, in one list. */
export function unconfirmedList(): string {
  const lines: string[] = [];
  for (const prices of REGION_PRICES) {
    const missing: string[] = [];
    const instancePrices = RELAY_INSTANCE_PROFILES.map((p) => prices.onDemandUsdPerHour[p.instanceType]);
    if (instancePrices.some((f) => !isSourced(f))) {
      missing.push(instancePrices.every((f) => !isSourced(f)) ? 'every on-demand price' : 'some on-demand prices');
    }
    if (!isSourced(prices.egress.usdPerGb)) missing.push('the Internet egress price');
    if (!isSourced(prices.egress.inRegionUsdPerGb)) missing.push('the relay-to-relay (in-region) price');
    lines.push(
      missing.length === 0
        ? `- ${prices.region}: every price confirmed.`
        : `- ${prices.region} (${prices.location}): ${missing.join(', ')}.`,
    );
  }
  return lines.join('\n');
}
