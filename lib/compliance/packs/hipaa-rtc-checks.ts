import { CfnResource } from 'aws-cdk-lib';
import { NagMessageLevel, NagPack, type NagPackProps } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import * as rules from './rules';

export const HIPAA_RTC_PACK_NAME = 'HipaaRtc';

/**
 * The project's own rules for what cdk-nag's HIPAA Security pack does not check (found by reading its source):
 * key rotation, open key policies, key-policy escalation, DynamoDB CMK and PITR on GlobalTable, account-wide trails that keep KMS reads,
 * encrypted log groups, and implicit Lambda log groups. Findings are ordinary cdk-nag findings: an exception goes
 * through the register like any other.
 */
export class HipaaRtcChecks extends NagPack {
  public readonly name = HIPAA_RTC_PACK_NAME;

  constructor(scope?: IConstruct, props?: NagPackProps) {
    super(scope, props);
    this.packName = HIPAA_RTC_PACK_NAME;
  }

  protected checkResource(node: CfnResource): void {
    const check = (rule: (n: CfnResource) => unknown, info: string, explanation: string) =>
      this.applyRule({ info, explanation, level: NagMessageLevel.ERROR, rule: rule as never, node });
    check(
      rules.KMSSymmetricKeyRotation,
      'The symmetric KMS key does not rotate at least yearly - (Control ID: 164.312(a)(2)(iv)).',
      'Rotation limits the data encrypted under one key version; HIPAA encryption safeguards expect key lifecycle management.',
    );
    check(
      rules.KMSKeyPolicyNoOpenPrincipal,
      'The KMS key policy allows every principal ("*") without a restricting condition - (Control ID: 164.312(a)(1)).',
      'A key policy is the only policy that can grant access across accounts; an unconditioned wildcard exposes PHI keys.',
    );
    check(
      rules.KMSNoPolicyEscalation,
      'A key policy or IAM policy lets a principal other than the account itself rewrite a key policy, replicate a key or import key material (kms:PutKeyPolicy, ReplicateKey, ImportKeyMaterial, ...) - (Control ID: 164.312(a)(1)).',
      'Whoever can replace a key policy can grant itself Decrypt, so a key administrator who holds kms:PutKeyPolicy can read PHI after all; key policies change only through a reviewed deploy (docs/keys.md).',
    );
    check(
      rules.DynamoDBCustomerManagedKey,
      'The DynamoDB table (or a GlobalTable replica) is not encrypted with a customer-managed KMS key - (Control ID: 164.312(a)(2)(iv)).',
      'A customer-managed key puts every decrypt in CloudTrail and lets the organisation revoke access to PHI.',
    );
    check(
      rules.DynamoDBRecoveryAndDeletionProtection,
      'The DynamoDB table (or a GlobalTable replica) lacks point-in-time recovery or deletion protection - (Control ID: 164.308(a)(7)(ii)(A)).',
      'PITR restores PHI after corruption or deletion; deletion protection prevents a single call from destroying it.',
    );
    check(
      rules.CloudTrailAccountWideManagementEvents,
      'The trail does not cover all regions and global services with all management events including reads and KMS - (Control ID: 164.312(b)).',
      'Audit controls must record who used PHI keys (kms:Decrypt is a read) in every region.',
    );
    check(
      rules.LogGroupEncryptedWithRetention,
      'The log group is not encrypted with a customer-managed key or has no retention - (Control ID: 164.312(a)(2)(iv), 164.316(b)(2)(i)).',
      'Logs can hold identifiers; they need encryption at rest and a deliberate retention period.',
    );
    check(
      rules.ApiGatewayV2StageAccessLogging,
      'The API Gateway v2 stage has no access logging to a log group, or its format logs a variable outside the allow-list (identity, authorizer claims or context, request data) - (Control ID: 164.312(b)).',
      'cdk-nag checks access logs on REST stages only; WebSocket and HTTP stages need them too for audit controls, and a format that logs the source IP or token claims would write identifiers into logs.',
    );
    check(
      rules.WebSocketStageExecutionLoggingNoDataTrace,
      'The WebSocket stage does not log execution at ERROR or INFO (by default and on every route), or logs full message data (data trace) - (Control ID: 164.312(b)).',
      'Execution logs are the audit trail of the API; data trace would copy SDP and ICE candidates (IP addresses) into logs.',
    );
    check(
      rules.WebSocketConnectAuthorized,
      'The WebSocket $connect route has no authorizer - (Control ID: 164.312(d)).',
      'WebSocket APIs authorize only at $connect; without an authorizer every later message is unauthenticated.',
    );
    check(
      rules.LambdaExplicitLogGroup,
      'The Lambda function has no explicit log group - (Control ID: 164.312(b)).',
      'Without one, Lambda creates an unencrypted group with no retention that no template check can see.',
    );
  }
}
