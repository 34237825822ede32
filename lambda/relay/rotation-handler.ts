/**
 * The rotation function: validate the event, read a snapshot of the secret, let the pure plan decide, perform its
 * writes in order. Secrets Manager invokes it for the four native rotation steps; the EventBridge schedule invokes
 * it with {"action":"advance"} (lib/relay/rotation-plan.ts explains both).
 *
 * Nothing that could hold a secret reaches a log or an error: the function logs allow-listed fields only, rethrows
 * its own errors (whose messages hold names, times and version IDs), passes on AWS service errors (whose messages
 * describe the request, never the SecretString) and replaces any other error with its class name.
 */
import { parseRotationRequest, type RotationRequest } from '../../lib/relay/rotation-event';
import type { RotationLog } from '../../lib/relay/rotation-log';
import {
  planRotation,
  RotationRefusedError,
  versionsToRead,
  type RotationOutcome,
  type SecretSnapshot,
} from '../../lib/relay/rotation-plan';
import { replicaArn } from '../../lib/relay/rotation-replicas';
import type { RotationSettings } from '../../lib/relay/rotation-settings';
import { SecretRotationError } from '../../lib/relay/secret-rotation';
import { SecretStore, type SecretsManagerSend } from './secret-store';

export interface RotationHandlerDeps {
  /** Read on first use, so a misconfiguration fails the invocation (with the variable's name), not the import. */
  readonly settings: () => RotationSettings;
  readonly client: () => SecretsManagerSend;
  /** A client for one replica region (the primary's client is for the home region). */
  readonly regionClient: (region: string) => SecretsManagerSend;
  readonly log: RotationLog;
  readonly nowMs: () => number;
  readonly newSecret: () => string;
}

/** What the invocation returns (Secrets Manager and EventBridge ignore it; it holds no secret). */
export interface RotationResult {
  readonly outcome: RotationOutcome | 'advanced-elsewhere';
  readonly writes: number;
}

export type RotationHandler = (event: unknown) => Promise<RotationResult>;

export function createRotationHandler(deps: RotationHandlerDeps): RotationHandler {
  return async (event) => {
    let step = 'unrecognised';
    try {
      const settings = deps.settings();
      const request = parseRotationRequest(event, settings.secretArn);
      step = request.kind === 'advance' ? 'advance' : request.step;
      const store = new SecretStore(deps.client(), settings.secretArn);
      const regions = settings.replicaRegions ?? [];
      const replicaStores =
        request.kind === 'advance'
          ? regions.map((region) => ({
              region,
              store: new SecretStore(deps.regionClient(region), replicaArn(settings.secretArn, region)),
            }))
          : [];
      const snapshot = await readSnapshot(store, request, replicaStores);
      const plan = planRotation(request, snapshot, {
        policy: settings.policy,
        nowSeconds: Math.floor(deps.nowMs() / 1000),
        newSecret: deps.newSecret,
        replicaRegions: regions,
      });
      let advancedElsewhere = false;
      for (const write of plan.writes) {
        const rotationToken = request.kind === 'rotation-step' ? request.rotationToken : undefined;
        if ((await store.apply(write, rotationToken)) === 'advanced-elsewhere') {
          // The snapshot this plan came from is stale: the invocation that wrote the version does the rest, and the
          // schedule clears any AWSPENDING label it leaves behind.
          advancedElsewhere = true;
          break;
        }
      }
      const outcome = advancedElsewhere ? 'advanced-elsewhere' : plan.outcome;
      deps.log.info('turn-secret-rotation', {
        step,
        outcome,
        writes: plan.writes.length,
        ...(request.kind === 'rotation-step' ? { versionId: request.token } : {}),
        ...(plan.untilSeconds !== undefined ? { untilSeconds: plan.untilSeconds } : {}),
        ...(plan.note !== undefined ? { note: plan.note } : {}),
      });
      return { outcome, writes: advancedElsewhere ? 0 : plan.writes.length };
    } catch (error) {
      throw reported(error, step, deps.log);
    }
  };
}

/**
 * The primary's labels, values and replication status; for an advance tick with replica regions, also each replica's
 * AWSCURRENT, read in its region exactly as its relays read it (rotation-replicas.ts explains why the status alone
 * is not enough). The replicas are read after the primary, so a replica can only look older than the primary read,
 * never newer: the plan errs towards waiting.
 */
async function readSnapshot(
  store: SecretStore,
  request: RotationRequest,
  replicaStores: readonly { region: string; store: SecretStore }[],
): Promise<SecretSnapshot> {
  const { stagesByVersion, replication } = await store.describe();
  const values: Record<string, string> = {};
  for (const versionId of versionsToRead(request, stagesByVersion)) {
    const value = await store.value(versionId);
    if (value !== undefined) values[versionId] = value;
  }
  if (replicaStores.length === 0) return { stagesByVersion, values };
  // In parallel: each region is a cross-region round trip, and together they must fit the function's timeout.
  const read = await Promise.all(
    replicaStores.map(async ({ region, store: r }) => ({ region, value: await r.currentValue() })),
  );
  const currentValues: Record<string, string> = {};
  for (const { region, value } of read) if (value !== undefined) currentValues[region] = value;
  return { stagesByVersion, values, replicas: { statuses: replication, currentValues } };
}

const isAwsServiceError = (error: unknown): error is Error =>
  error instanceof Error && '$metadata' in error && '$fault' in error;

/** Where a platform engineer finds what to do when the function fails (the RotationFunctionErrors alarm). */
export const ROTATION_FAILURE_RUNBOOK = 'docs/relay.md, "When the rotation alarm fires"';

/** Logs the failure without its details where they could carry input, and returns what to throw. */
function reported(error: unknown, step: string, log: RotationLog): Error {
  if (error instanceof RotationRefusedError) {
    log.warn('turn-secret-rotation-refused', { step, errorName: error.name, refusal: error.message });
    return error;
  }
  if (error instanceof SecretRotationError) {
    log.error('turn-secret-rotation-failed', {
      step,
      errorName: error.name,
      refusal: error.message,
      note: ROTATION_FAILURE_RUNBOOK,
    });
    return error;
  }
  const errorName = error instanceof Error ? error.name : typeof error;
  log.error('turn-secret-rotation-failed', { step, errorName, note: ROTATION_FAILURE_RUNBOOK });
  if (isAwsServiceError(error)) return error;
  return new Error(`TURN secret rotation ${step} failed with ${errorName} (details withheld: they may quote input)`);
}
