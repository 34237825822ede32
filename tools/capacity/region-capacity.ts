/**
 * Capacity and cost of a relay fleet in one region: the capacity model run with the instance type's hardware figures
 * (the same in every region) and the region's prices (region-prices.ts), then scaled to the fleet's size. Fails for
 * a region with no price data rather than pricing it with another region's numbers.
 */
import { relayCapacity } from './capacity-model';
import type { CapacityInputs, CapacityResult, Dollars, InstanceProfile } from './capacity-types';
import { CapacityModelError, isSourced } from './capacity-validation';
import { instanceProfile } from './instance-profiles';
import { onDemandPriceIn, REGION_PRICES, regionPrices, type RegionPrices } from './region-prices';

/** What a relay region deploys: its instance type and the Auto Scaling group's bounds. */
export interface FleetSize {
  readonly instanceType: string;
  readonly minCapacity: number;
  readonly maxCapacity: number;
}

/** Everything but the instance, the call and the egress price, which the region and the caller give. */
export type RegionPlanning = Omit<CapacityInputs, 'instance' | 'call' | 'egress'>;

export interface RegionFleetResult {
  readonly region: string;
  readonly location: string;
  readonly fleet: FleetSize;
  /** One relay of the fleet, priced in the region. */
  readonly perRelay: CapacityResult;
  /** Relayed participants the fleet carries at its minimum and at its maximum size. */
  readonly minParticipants: number;
  readonly maxParticipants: number;
  /** The floor: the minimum number of relays running with no call. */
  readonly idleUsdPerHour: Dollars;
  /** Every relay the group may run, each carrying its full planned load (instances plus Internet egress). */
  readonly fullLoadUsdPerHour: Dollars;
}

/** The instance type's hardware figures with the region's on-demand price. */
export function instanceProfileIn(
  instanceType: string,
  region: string,
  table: readonly RegionPrices[] = REGION_PRICES,
): InstanceProfile {
  return { ...instanceProfile(instanceType), region, onDemandUsdPerHour: onDemandPriceIn(region, instanceType, table) };
}

function times(amount: Dollars, factor: number): Dollars {
  return amount.kind === 'usd' ? { kind: 'usd', value: amount.value * factor } : amount;
}

function plus(a: Dollars, b: Dollars): Dollars {
  if (a.kind === 'unverified') return a;
  if (b.kind === 'unverified') return b;
  return { kind: 'usd', value: a.value + b.value };
}

function checkFleet(fleet: FleetSize): void {
  const whole = (n: number) => Number.isInteger(n) && n >= 1;
  if (!whole(fleet.minCapacity) || !whole(fleet.maxCapacity) || fleet.minCapacity > fleet.maxCapacity) {
    throw new CapacityModelError(
      `capacity model fleet: minCapacity and maxCapacity must be whole numbers with 1 <= min <= max ` +
        `(got ${fleet.minCapacity}-${fleet.maxCapacity})`,
    );
  }
}

/**
 * One region's fleet: participants at minimum and maximum size, the idle floor and the full-load cost per hour.
 * @param table the per-region prices (tests pass their own)
 */
export function regionFleet(
  fleet: FleetSize,
  call: CapacityInputs['call'],
  region: string,
  planning: RegionPlanning,
  table: readonly RegionPrices[] = REGION_PRICES,
): RegionFleetResult {
  checkFleet(fleet);
  const prices = regionPrices(region, table);
  const instance = instanceProfileIn(fleet.instanceType, region, table);
  const perRelay = relayCapacity({ instance, call, egress: prices.egress, ...planning });
  const instanceHour: Dollars = isSourced(instance.onDemandUsdPerHour)
    ? { kind: 'usd', value: instance.onDemandUsdPerHour.value }
    : { kind: 'unverified', reason: `instance price unverified: ${instance.onDemandUsdPerHour.unverified}` };
  const relayAtFullLoad = plus(
    instanceHour,
    times(perRelay.egressUsdPerParticipantHour, perRelay.participantsPerRelay),
  );
  return {
    region,
    location: prices.location,
    fleet,
    perRelay,
    minParticipants: fleet.minCapacity * perRelay.participantsPerRelay,
    maxParticipants: fleet.maxCapacity * perRelay.participantsPerRelay,
    idleUsdPerHour: times(instanceHour, fleet.minCapacity),
    fullLoadUsdPerHour: times(relayAtFullLoad, fleet.maxCapacity),
  };
}
