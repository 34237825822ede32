import { Stack, type StackProps } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { CustomerManagedKey } from '../constructs/customer-managed-key';
import { EncryptedBucket } from '../constructs/encrypted-bucket';
import { EncryptedTable } from '../constructs/encrypted-table';

export interface DataStackProps extends StackProps {
  readonly deploymentName: string;
  /** Administers the data key (from the Audit stack). */
  readonly keyAdministrator: iam.IRole;
  /** Receives the PHI buckets' server access logs (from the Audit stack). */
  readonly accessLogBucket: s3.IBucket;
}

/**
 * The data plane: a data key separate from the audit key, and the stores that may hold PHI. Termination-protected;
 * every stateful resource is retained.
 */
export class DataStack extends Stack {
  public readonly dataKey: kms.IKey;
  /** Call recordings (when a deployment records); encrypted media files, never in clear. */
  public readonly recordingsBucket: s3.IBucket;
  /** Application records keyed by opaque identifiers. */
  public readonly recordsTable: dynamodb.ITableV2;

  constructor(scope: Construct, id: string, props: DataStackProps) {
    super(scope, id, { ...props, terminationProtection: true });

    const dataKey = new CustomerManagedKey(this, 'DataKey', {
      alias: `hipaa-rtc/${props.deploymentName}/data`,
      description: 'hipaa-rtc data plane: PHI buckets and tables',
      administrator: props.keyAdministrator,
    });
    this.dataKey = dataKey.key;

    this.recordingsBucket = new EncryptedBucket(this, 'RecordingsBucket', {
      encryptionKey: dataKey.key,
      accessLogBucket: props.accessLogBucket,
      accessLogPrefix: 'recordings-bucket/',
    }).bucket;

    this.recordsTable = new EncryptedTable(this, 'RecordsTable', {
      encryptionKey: dataKey.key,
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'sk', type: dynamodb.AttributeType.STRING },
      timeToLiveAttribute: 'expiresAt',
    }).table;
  }
}
