import { Aws } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { SignalingFunction } from './signaling-function';

// The identity-policy grants of the signaling functions, each as narrow as the calls the handlers make.

/**
 * Item-level access to the connection table (exactly the calls connection-store.ts and rate-counter.ts make; no
 * Query or Scan) and use of its key, only through DynamoDB. TransactWriteItems has no IAM action of its own: each
 * Update or Delete in a transaction is authorized as UpdateItem or DeleteItem
 * (https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/transaction-apis-iam.html).
 */
export function tableAccess(table: dynamodb.ITableV2, key: kms.IKey, region: string): iam.PolicyStatement[] {
  return [
    new iam.PolicyStatement({
      sid: 'ConnectionItems',
      actions: [
        'dynamodb:GetItem',
        'dynamodb:BatchGetItem',
        'dynamodb:PutItem',
        'dynamodb:UpdateItem',
        'dynamodb:DeleteItem',
      ],
      resources: [table.tableArn],
    }),
    new iam.PolicyStatement({
      sid: 'ConnectionTableKey',
      actions: ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey', 'kms:DescribeKey'],
      resources: [key.keyArn],
      conditions: { StringEquals: { 'kms:ViaService': `dynamodb.${region}.amazonaws.com` } },
    }),
  ];
}

/**
 * Identity-policy grants only. Secret.grantRead would also edit the secret key's policy in the Relay stack,
 * making that stack depend on this one (a cycle, since this stack reads the secret's ARN). The key's decrypt is
 * limited to calls made through Secrets Manager.
 */
export function allowTurnSecretRead(policy: iam.ManagedPolicy, secret: secretsmanager.ISecret, region: string): void {
  policy.addStatements(
    new iam.PolicyStatement({
      sid: 'ReadTurnSecret',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [secret.secretArn],
    }),
  );
  if (secret.encryptionKey) {
    policy.addStatements(
      new iam.PolicyStatement({
        sid: 'DecryptTurnSecret',
        actions: ['kms:Decrypt'],
        resources: [secret.encryptionKey.keyArn],
        conditions: { StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` } },
      }),
    );
  }
}
/** The TURN username key's secret name; its ARN ends in `<name>-` and six random characters. */
export const turnUsernameKeyName = (deploymentName: string) =>
  `hipaa-rtc/${deploymentName}/signaling/turn-username-key`;

/**
 * Only ice-servers may read the TURN username key: GetSecretValue on that one secret, and kms:Decrypt on this stack's
 * key only when Secrets Manager asks for that secret (Secrets Manager decrypts with the encryption context
 * SecretARN = the secret's ARN: https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html).
 * KMS honours these IAM statements because the key policy's account-root statement delegates to IAM
 * (https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#key-policy-default-allow-root-enable-iam);
 * a key-policy statement naming the role would be a dependency cycle (key -> role -> this policy -> key). The key
 * encrypts this one secret and no other, and no other policy in the app grants use of it. The secret is named by its ARN pattern (`<name>-??????`, the six characters Secrets Manager appends:
 * https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_iam-policies.html).
 */
export function allowUsernameKeyRead(fn: SignalingFunction, secretName: string, key: kms.IKey, region: string): void {
  const secretArn = `arn:${Aws.PARTITION}:secretsmanager:${Aws.REGION}:${Aws.ACCOUNT_ID}:secret:${secretName}-??????`;
  const decryptConditions = {
    StringEquals: { 'kms:ViaService': `secretsmanager.${region}.amazonaws.com` },
    StringLike: { 'kms:EncryptionContext:SecretARN': secretArn },
  };
  fn.policy.addStatements(
    new iam.PolicyStatement({
      sid: 'ReadTurnUsernameKey',
      actions: ['secretsmanager:GetSecretValue'],
      resources: [secretArn],
    }),
    new iam.PolicyStatement({
      sid: 'DecryptTurnUsernameKey',
      actions: ['kms:Decrypt'],
      resources: [key.keyArn],
      conditions: decryptConditions,
    }),
  );
}
