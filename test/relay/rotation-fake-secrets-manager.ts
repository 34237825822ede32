/**
 * An in-memory Secrets Manager holding one secret, faithful to the documented behaviour of the calls the rotation
 * function makes (API reference, and the SDK's own model docs in @aws-sdk/client-secrets-manager):
 * - GetSecretValue: by VersionId and/or VersionStage (both must name the same version), AWSCURRENT by default;
 *   ResourceNotFoundException when no such version, or the version has no value (RotateSecret's empty AWSPENDING).
 * - PutSecretValue: ClientRequestToken (32-64 chars) becomes the VersionId. Same token + same SecretString: ignored.
 *   Same token + other SecretString: ResourceExistsException. A version without value gets its value. Each label in
 *   VersionStages (default AWSCURRENT) moves to the new version; moving AWSCURRENT moves AWSPREVIOUS to the version
 *   it left.
 * - DescribeSecret: VersionIdsToStages lists only versions with at least one label (others are deprecated).
 * - UpdateSecretVersionStage: MoveToVersionId adds the label; if it is attached to another version,
 *   RemoveFromVersionId must name that version, and if RemoveFromVersionId is given the label must be on it
 *   (InvalidParameterException otherwise). Without MoveToVersionId it removes the label from RemoveFromVersionId.
 *   Moving AWSCURRENT moves AWSPREVIOUS. (Assumed, not documented: removing AWSCURRENT without moving it is refused,
 *   since a secret always has a current version; the function never tries.)
 * - RotateSecret ({@link rotateSecret}; {@link startRotation} is its first effect): refused while AWSPENDING is on a
 *   version other than AWSCURRENT ("any later invocation of RotateSecret assumes that a previous rotation request is
 *   still in progress and returns an error"). RotateImmediately (default true) creates an empty version with
 *   AWSPENDING and invokes the rotation function's four steps with its token, stopping at the first failure. With
 *   RotateImmediately=false, Secrets Manager "tests the rotation configuration by running the testSecret step of the
 *   Lambda rotation function. This test creates an AWSPENDING version of the secret and then removes it" (the SDK's
 *   own model docs, @aws-sdk/client-secrets-manager RotateSecretRequest). What that version holds is not documented,
 *   so {@link ConfigurationTestVersion} lets tests try each shape. Assumed, not documented: the test runs before
 *   RotateSecret answers, its failure is RotateSecret's (and so CloudFormation's) failure, and the version is removed
 *   whether the test passed or not.
 * - Replica regions ({@link addReplica}): DescribeSecret on the primary lists ReplicationStatus (Region, Status,
 *   StatusMessage). Replication is asynchronous with no documented bound, and the status is documented only as
 *   "InSync, which indicates that the replica was created" (the SDK's model docs): so here a replica stays InSync
 *   while it lags, and only {@link replicate} brings the primary's AWSCURRENT there. {@link replicaClient} answers
 *   GetSecretValue (AWSCURRENT) on the replica's ARN (the primary's with the region replaced, as documented), which
 *   is what the region's relays read.
 * Every call yields to the event loop first, so concurrent callers interleave as they would over the network.
 * {@link injectFault} makes one call fail before it takes effect, or after (a lost response), to test retries.
 */
import { randomUUID } from 'node:crypto';
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  InternalServiceError,
  InvalidParameterException,
  InvalidRequestException,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';

interface Version {
  secretString?: string;
  readonly stages: Set<string>;
}

/**
 * What the configuration test's version may hold when testSecret reads it: `empty` (like RotateSecret's usual
 * AWSPENDING version), `copy-of-current` (AWSCURRENT's SecretString), or `unlabelled` (empty, its AWSPENDING label
 * already gone, so DescribeSecret does not list it).
 */
export type ConfigurationTestVersion = 'empty' | 'copy-of-current' | 'unlabelled';

/** The event Secrets Manager sends to a rotation function for one step. */
export interface RotationStepEvent {
  readonly Step: 'createSecret' | 'setSecret' | 'testSecret' | 'finishSecret';
  readonly SecretId: string;
  readonly ClientRequestToken: string;
}

const meta = { $metadata: {} };

interface Replica {
  status: 'InSync' | 'InProgress' | 'Failed';
  statusMessage?: string;
  /** The replica's AWSCURRENT SecretString: what the region's relays read. */
  currentValue?: string;
}

export class FakeSecretsManager {
  readonly versions = new Map<string, Version>();
  readonly replicas = new Map<string, Replica>();
  /** Every call, as [command name, input]; inputs hold secrets, so only tests read this. */
  readonly calls: [string, Record<string, unknown>][] = [];

  private readonly faults: { command: string; after: boolean; when: (input: Record<string, unknown>) => boolean }[] =
    [];

  constructor(
    readonly arn: string,
    initialSecretString: string,
    initialVersionId = randomUUID(),
  ) {
    this.versions.set(initialVersionId, { secretString: initialSecretString, stages: new Set(['AWSCURRENT']) });
  }

  async send(command: object): Promise<Record<string, unknown>> {
    await new Promise((resolve) => setImmediate(resolve));
    const input = (command as { input: Record<string, unknown> }).input;
    this.calls.push([command.constructor.name, input]);
    if (input.SecretId !== this.arn) {
      throw new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", ...meta });
    }
    const faultAt = this.faults.findIndex((f) => f.command === command.constructor.name && f.when(input));
    const fault = faultAt >= 0 ? this.faults.splice(faultAt, 1)[0] : undefined;
    const injected = () => new InternalServiceError({ message: 'injected fault', ...meta });
    if (fault && !fault.after) throw injected();
    const output = this.dispatch(command, input);
    if (fault) throw injected();
    return output;
  }

  /** A replica in `region`, created from the primary's AWSCURRENT (status InSync: "the replica was created"). */
  addReplica(region: string): void {
    this.replicas.set(region, { status: 'InSync', currentValue: this.valueAt('AWSCURRENT') });
  }

  /** Replication reaches `region`: its AWSCURRENT becomes the primary's (or an earlier primary AWSCURRENT, lagging). */
  replicate(region: string, primaryValue = this.valueAt('AWSCURRENT')): void {
    this.replicaOf(region).currentValue = primaryValue;
  }

  /** Sets a replica's reported status (e.g. Failed, with Secrets Manager's message); its value stays as it was. */
  setReplicaStatus(region: string, status: Replica['status'], statusMessage?: string): void {
    const replica = this.replicaOf(region);
    replica.status = status;
    if (statusMessage === undefined) delete replica.statusMessage;
    else replica.statusMessage = statusMessage;
  }

  /** The replica's AWSCURRENT SecretString, for assertions. */
  replicaValue(region: string): string | undefined {
    return this.replicaOf(region).currentValue;
  }

  /** A client for `region`: GetSecretValue on the replica's ARN, as that region's relays call it. */
  replicaClient(region: string): { send(command: object): Promise<Record<string, unknown>> } {
    const replicaArn = this.arn
      .split(':')
      .map((part, i) => (i === 3 ? region : part))
      .join(':');
    return {
      send: async (command: object) => {
        await new Promise((resolve) => setImmediate(resolve));
        const input = (command as { input: Record<string, unknown> }).input;
        this.calls.push([`${region}:${command.constructor.name}`, input]);
        if (!(command instanceof GetSecretValueCommand)) {
          throw new Error(`the fake replica does not implement ${command.constructor.name}`);
        }
        const value = this.replicas.get(region)?.currentValue;
        const stage = input.VersionStage ?? 'AWSCURRENT';
        if (input.SecretId !== replicaArn || value === undefined || stage !== 'AWSCURRENT' || input.VersionId) {
          throw new ResourceNotFoundException({ message: "Secrets Manager can't find the specified secret.", ...meta });
        }
        return { ARN: replicaArn, SecretString: value, VersionStages: ['AWSCURRENT'] };
      },
    };
  }

  private replicaOf(region: string): Replica {
    const replica = this.replicas.get(region);
    if (replica === undefined) throw new Error(`no replica in ${region}`);
    return replica;
  }

  /** The next matching call of `command` (a class name, e.g. 'PutSecretValueCommand') fails once. */
  injectFault(
    command: string,
    options: { after?: boolean; when?: (input: Record<string, unknown>) => boolean } = {},
  ): void {
    this.faults.push({ command, after: options.after ?? false, when: options.when ?? (() => true) });
  }

  private dispatch(command: object, input: Record<string, unknown>): Record<string, unknown> {
    if (command instanceof GetSecretValueCommand) return this.getSecretValue(input);
    if (command instanceof PutSecretValueCommand) return this.putSecretValue(input);
    if (command instanceof DescribeSecretCommand) return this.describeSecret();
    if (command instanceof UpdateSecretVersionStageCommand) return this.updateSecretVersionStage(input);
    throw new Error(`FakeSecretsManager does not implement ${command.constructor.name}`);
  }

  /** RotateSecret's first effect: a new empty version labelled AWSPENDING (the rotation's ClientRequestToken). */
  startRotation(token: string = randomUUID()): string {
    this.refuseWhileRotationPending();
    const pending = this.holderOf('AWSPENDING');
    if (pending !== undefined) this.versions.get(pending)!.stages.delete('AWSPENDING');
    this.versions.set(token, { stages: new Set(['AWSPENDING']) });
    return token;
  }

  /**
   * RotateSecret for a secret rotated by a Lambda function; `invoke` is Secrets Manager invoking that function.
   * Resolves with the version ID it used; rejects with RotateSecret's refusal or the first failing step's error.
   */
  async rotateSecret(options: {
    readonly invoke: (event: RotationStepEvent) => Promise<unknown>;
    readonly rotateImmediately?: boolean;
    readonly token?: string;
    readonly configurationTestVersion?: ConfigurationTestVersion;
  }): Promise<string> {
    const token = options.token ?? randomUUID();
    const step = (Step: RotationStepEvent['Step']) =>
      options.invoke({ Step, SecretId: this.arn, ClientRequestToken: token });
    if (options.rotateImmediately ?? true) {
      this.startRotation(token);
      for (const name of ['createSecret', 'setSecret', 'testSecret', 'finishSecret'] as const) await step(name);
      return token;
    }
    this.refuseWhileRotationPending();
    const shape = options.configurationTestVersion ?? 'empty';
    const version: Version = { stages: new Set(shape === 'unlabelled' ? [] : ['AWSPENDING']) };
    if (shape === 'copy-of-current') version.secretString = this.valueAt('AWSCURRENT');
    this.versions.set(token, version);
    try {
      await step('testSecret');
    } finally {
      this.versions.delete(token);
    }
    return token;
  }

  private refuseWhileRotationPending(): void {
    const pending = this.holderOf('AWSPENDING');
    if (pending !== undefined && !this.versions.get(pending)!.stages.has('AWSCURRENT')) {
      throw new InvalidRequestException({
        message: "A previous rotation isn't complete. That rotation will be reattempted.",
        ...meta,
      });
    }
  }

  /** The SecretString with a label (what signaling and relays read), for assertions. */
  valueAt(stage: string): string | undefined {
    const holder = this.holderOf(stage);
    return holder === undefined ? undefined : this.versions.get(holder)!.secretString;
  }

  holderOf(stage: string): string | undefined {
    return [...this.versions].find(([, v]) => v.stages.has(stage))?.[0];
  }

  /** Writes (PutSecretValue and UpdateSecretVersionStage calls) so far. */
  writeCount(): number {
    return this.calls.filter(([name]) => !name.endsWith('GetSecretValueCommand') && name !== 'DescribeSecretCommand')
      .length;
  }

  private getSecretValue(input: Record<string, unknown>): Record<string, unknown> {
    const versionId = input.VersionId as string | undefined;
    const stage = input.VersionStage as string | undefined;
    const id = versionId ?? this.holderOf(stage ?? 'AWSCURRENT');
    const version = id === undefined ? undefined : this.versions.get(id);
    if (id === undefined || version === undefined || (stage !== undefined && !version.stages.has(stage))) {
      throw new ResourceNotFoundException({
        message: "Secrets Manager can't find the specified secret version.",
        ...meta,
      });
    }
    if (version.secretString === undefined) {
      throw new ResourceNotFoundException({
        message: "Secrets Manager can't find the specified secret value for VersionId.",
        ...meta,
      });
    }
    return {
      ARN: this.arn,
      VersionId: id,
      SecretString: version.secretString,
      VersionStages: [...version.stages],
    };
  }

  private putSecretValue(input: Record<string, unknown>): Record<string, unknown> {
    const token = (input.ClientRequestToken as string | undefined) ?? randomUUID();
    const secretString = input.SecretString as string | undefined;
    if (token.length < 32 || token.length > 64) {
      throw new InvalidParameterException({ message: 'ClientRequestToken must be 32-64 characters.', ...meta });
    }
    if (typeof secretString !== 'string') {
      throw new InvalidParameterException({ message: 'You must provide SecretString or SecretBinary.', ...meta });
    }
    const existing = this.versions.get(token);
    if (existing?.secretString !== undefined) {
      if (existing.secretString === secretString) {
        return { ARN: this.arn, VersionId: token, VersionStages: [...existing.stages] };
      }
      throw new ResourceExistsException({
        message: "You can't modify an existing version, you can only create a new version.",
        ...meta,
      });
    }
    const version = existing ?? { stages: new Set<string>() };
    version.secretString = secretString;
    this.versions.set(token, version);
    for (const stage of (input.VersionStages as string[] | undefined) ?? ['AWSCURRENT']) this.attach(stage, token);
    return { ARN: this.arn, VersionId: token, VersionStages: [...version.stages] };
  }

  private describeSecret(): Record<string, unknown> {
    const VersionIdsToStages: Record<string, string[]> = {};
    for (const [id, version] of this.versions) {
      if (version.stages.size > 0) VersionIdsToStages[id] = [...version.stages];
    }
    const replication = [...this.replicas].map(([Region, r]) => ({
      Region,
      Status: r.status,
      ...(r.statusMessage !== undefined ? { StatusMessage: r.statusMessage } : {}),
    }));
    return {
      ARN: this.arn,
      RotationEnabled: true,
      VersionIdsToStages,
      ...(replication.length > 0 ? { ReplicationStatus: replication } : {}),
    };
  }

  private updateSecretVersionStage(input: Record<string, unknown>): Record<string, unknown> {
    const stage = input.VersionStage as string;
    const moveTo = input.MoveToVersionId as string | undefined;
    const removeFrom = input.RemoveFromVersionId as string | undefined;
    const holder = this.holderOf(stage);
    const invalid = (message: string) => new InvalidParameterException({ message, ...meta });
    if (removeFrom !== undefined && holder !== removeFrom) {
      throw invalid(`The staging label ${stage} is not attached to version ${removeFrom}.`);
    }
    if (moveTo === undefined) {
      if (removeFrom === undefined) throw invalid('Specify MoveToVersionId or RemoveFromVersionId.');
      if (stage === 'AWSCURRENT') throw invalid('You can only move AWSCURRENT to another version, not remove it.');
      this.versions.get(removeFrom)!.stages.delete(stage);
    } else {
      if (!this.versions.has(moveTo)) {
        throw new ResourceNotFoundException({ message: `Version ${moveTo} not found.`, ...meta });
      }
      if (holder !== undefined && holder !== moveTo && removeFrom !== holder) {
        throw invalid(`The staging label ${stage} is attached to ${holder}; name it in RemoveFromVersionId.`);
      }
      this.attach(stage, moveTo);
    }
    return { ARN: this.arn };
  }

  private attach(stage: string, versionId: string): void {
    const previousHolder = this.holderOf(stage);
    if (previousHolder === versionId) return;
    if (previousHolder !== undefined) this.versions.get(previousHolder)!.stages.delete(stage);
    this.versions.get(versionId)!.stages.add(stage);
    if (stage === 'AWSCURRENT' && previousHolder !== undefined) this.attach('AWSPREVIOUS', previousHolder);
  }
}
