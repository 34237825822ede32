import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export interface EncryptedTableProps {
  /** Customer-managed key for encryption at rest. */
  readonly encryptionKey: kms.IKey;
  /** Partition key. Key values appear in CloudTrail data events: they must be opaque, never PHI. */
  readonly partitionKey: dynamodb.Attribute;
  /**
   * Sort key.
   * @default - no sort key
   */
  readonly sortKey?: dynamodb.Attribute;
  /**
   * Attribute holding an expiry time in epoch seconds.
   * @default - items never expire
   */
  readonly timeToLiveAttribute?: string;
  /**
   * Global secondary indexes.
   * @default - none
   */
  readonly globalSecondaryIndexes?: dynamodb.GlobalSecondaryIndexPropsV2[];
}

/**
 * A DynamoDB table for PHI-adjacent records. A customer-managed key, point-in-time recovery, deletion protection,
 * on-demand capacity and RETAIN are mandatory: the props deliberately offer no way to turn them off.
 */
export class EncryptedTable extends Construct {
  public readonly table: dynamodb.TableV2;

  constructor(scope: Construct, id: string, props: EncryptedTableProps) {
    super(scope, id);
    this.table = new dynamodb.TableV2(this, 'Resource', {
      partitionKey: props.partitionKey,
      sortKey: props.sortKey,
      timeToLiveAttribute: props.timeToLiveAttribute,
      globalSecondaryIndexes: props.globalSecondaryIndexes,
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(props.encryptionKey),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
  }
}
