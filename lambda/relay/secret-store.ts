/**
 * The four Secrets Manager calls the rotation function makes, on its one secret (and, reading only, on its replicas:
 * one store per replica region), over the AWS SDK v3 client. No
 * decisions here (lib/relay/rotation-plan.ts makes them); this file only maps plan writes to API calls and the
 * two "expected" service errors to values.
 */
import {
  DescribeSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  UpdateSecretVersionStageCommand,
  type SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { AWSCURRENT, AWSPENDING, type SecretWrite } from '../../lib/relay/rotation-plan';
import type { ReplicaStatus } from '../../lib/relay/rotation-replicas';

export type SecretsManagerSend = Pick<SecretsManagerClient, 'send'>;

/**
 * `written`, or `advanced-elsewhere` when another invocation already wrote this step's version (a derived token: an
 * advance step, or finishSecret's re-stamped document).
 */
export type WriteResult = 'written' | 'advanced-elsewhere';

const errorNamed = (error: unknown, name: string): boolean =>
  typeof error === 'object' && error !== null && (error as { name?: unknown }).name === name;

export class SecretStore {
  constructor(
    private readonly client: SecretsManagerSend,
    private readonly secretId: string,
  ) {}

  /**
   * DescribeSecret's VersionIdsToStages (only versions that carry at least one staging label) and, on the primary,
   * its ReplicationStatus (empty for a secret without replicas).
   */
  async describe(): Promise<{ stagesByVersion: Record<string, string[]>; replication: ReplicaStatus[] }> {
    const described = await this.client.send(new DescribeSecretCommand({ SecretId: this.secretId }));
    return {
      stagesByVersion: described.VersionIdsToStages ?? {},
      replication: (described.ReplicationStatus ?? []).map((entry) => ({
        region: entry.Region ?? '',
        ...(entry.Status !== undefined ? { status: entry.Status } : {}),
        ...(entry.StatusMessage !== undefined ? { statusMessage: entry.StatusMessage } : {}),
      })),
    };
  }

  /** The AWSCURRENT SecretString (what relays read), or undefined when the secret does not exist here. */
  async currentValue(): Promise<string | undefined> {
    try {
      const got = await this.client.send(
        new GetSecretValueCommand({ SecretId: this.secretId, VersionStage: AWSCURRENT }),
      );
      return got.SecretString;
    } catch (error) {
      if (errorNamed(error, 'ResourceNotFoundException')) return undefined;
      throw error;
    }
  }

  /** The SecretString of one version, or undefined when it has none (RotateSecret's empty AWSPENDING version). */
  async value(versionId: string): Promise<string | undefined> {
    try {
      const got = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId, VersionId: versionId }));
      return got.SecretString;
    } catch (error) {
      if (errorNamed(error, 'ResourceNotFoundException')) return undefined;
      throw error;
    }
  }

  /** `rotationToken` is passed only with the AWSPENDING write of a native rotation (cross-account rotations need it). */
  async apply(write: SecretWrite, rotationToken?: string): Promise<WriteResult> {
    switch (write.kind) {
      case 'put':
        try {
          await this.client.send(
            new PutSecretValueCommand({
              SecretId: this.secretId,
              ClientRequestToken: write.token,
              SecretString: write.secretString,
              VersionStages: [write.stage],
              ...(rotationToken !== undefined && write.stage === AWSPENDING ? { RotationToken: rotationToken } : {}),
            }),
          );
          return 'written';
        } catch (error) {
          // Same derived token, other content (another `now`): another invocation wrote this step first.
          if (write.tokenConflictMeansAdvanced && errorNamed(error, 'ResourceExistsException')) {
            return 'advanced-elsewhere';
          }
          throw error;
        }
      case 'move-current':
        // RemoveFromVersionId makes the move conditional: it fails if AWSCURRENT moved since the snapshot.
        await this.client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: this.secretId,
            VersionStage: AWSCURRENT,
            MoveToVersionId: write.toVersionId,
            RemoveFromVersionId: write.fromVersionId,
          }),
        );
        return 'written';
      case 'remove-pending':
        await this.client.send(
          new UpdateSecretVersionStageCommand({
            SecretId: this.secretId,
            VersionStage: AWSPENDING,
            RemoveFromVersionId: write.fromVersionId,
          }),
        );
        return 'written';
    }
  }
}
