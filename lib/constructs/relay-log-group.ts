import { RemovalPolicy } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { logGroupNamePrefix } from './log-group-naming';

/** What every relay log group shares: the deployment's name prefix, the log key and the retention. */
export interface RelayLogOptions {
  readonly deploymentName: string;
  /** Customer-managed key for log groups (the Audit key, whose policy allows the project prefix). */
  readonly key: kms.IKey;
  readonly retention: logs.RetentionDays;
}

/** A relay log group named `/hipaa-rtc/<deployment>/relay/<name>`: KMS-encrypted, retained when the stack goes. */
export function relayLogGroup(scope: Construct, id: string, name: string, options: RelayLogOptions): logs.LogGroup {
  return new logs.LogGroup(scope, id, {
    logGroupName: `${logGroupNamePrefix(options.deploymentName)}relay/${name}`,
    encryptionKey: options.key,
    retention: options.retention,
    removalPolicy: RemovalPolicy.RETAIN,
  });
}
