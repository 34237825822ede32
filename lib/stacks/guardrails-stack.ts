import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { ObjectLockMode } from '../constructs/audit-log-bucket';
import { EligibilityGuardHook } from '../constructs/eligibility-guard-hook';
import { logGroupNamePrefix } from '../constructs/log-group-naming';
import { RegionalBaseline, type RegionalBaselineProps } from '../constructs/regional-baseline';
import { guardrailsStackIdPattern } from '../compliance/guard/eligibility-guard-rules';

export interface GuardrailsStackProps extends StackProps {
  readonly deploymentName: string;
  /**
   * Guard rules generated from the eligibility data for this stack's name: they let hook-management types appear only
   * in this stack (lib/compliance/guard/account-guard-rules.ts, eligibilityGuardRules).
   */
  readonly eligibilityGuardRules: string;
  /**
   * Where the hook's keys and logs come from: the home Region's Audit stack (its audit key and access-log bucket), or,
   * in a further relay Region, a RegionalBaseline this stack creates (KMS keys, access-log buckets and alarm topics
   * are regional, so the home ones cannot serve here).
   */
  readonly baseline:
    | { readonly kind: 'home'; readonly auditKey: kms.IKey; readonly accessLogBucket: s3.IBucket }
    | ({ readonly kind: 'regional' } & Omit<RegionalBaselineProps, 'deploymentName' | 'logGroupNamePrefix'>);
  /** Object Lock retention of every rule version, in days: the audit evidence retention. */
  readonly rulesRetentionDays: number;
  readonly rulesObjectLockMode: ObjectLockMode;
  /** Retention of the rules writer's log group. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * Deploy-time enforcement in the account: a Guard Hook refuses non-eligible resource types in any stack, and
 * hook-management types in any stack but this one. The organization-level SCP is generated beside the templates
 * (cdk.out/hipaa-eligibility-scp.json) for the management account to attach; it is not deployed from here because
 * SCPs live in the management account.
 */
export class GuardrailsStack extends Stack {
  public readonly eligibilityHook: EligibilityGuardHook;
  /** In a further relay Region: the Region's key, access-log bucket, alarm topic and key administrator. */
  public readonly regionalBaseline?: RegionalBaseline;

  constructor(scope: Construct, id: string, props: GuardrailsStackProps) {
    // Termination protection: removing the hook would silently switch deploy-time enforcement off.
    super(scope, id, { terminationProtection: true, ...props });
    // The hook judges this stack's own updates; rules that did not name this stack would refuse its next update.
    if (!props.eligibilityGuardRules.includes(guardrailsStackIdPattern(this.stackName))) {
      throw new Error(
        `GuardrailsStack ${this.node.path}: the Guard rules do not allow hook-management types in this stack ` +
          `(${this.stackName}); render them with eligibilityGuardRules('${this.stackName}')`,
      );
    }
    const prefix = logGroupNamePrefix(props.deploymentName);
    const baseline = props.baseline;
    if (baseline.kind === 'regional') {
      this.regionalBaseline = new RegionalBaseline(this, 'RegionalBaseline', {
        ...baseline,
        deploymentName: props.deploymentName,
        logGroupNamePrefix: prefix,
      });
    }
    const keys =
      baseline.kind === 'home'
        ? { key: baseline.auditKey, accessLogBucket: baseline.accessLogBucket }
        : { key: this.regionalBaseline!.key, accessLogBucket: this.regionalBaseline!.accessLogBucket };
    this.eligibilityHook = new EligibilityGuardHook(this, 'EligibilityHook', {
      guardRules: props.eligibilityGuardRules,
      logEncryptionKey: keys.key,
      accessLogBucket: keys.accessLogBucket,
      rulesRetentionDays: props.rulesRetentionDays,
      rulesObjectLockMode: props.rulesObjectLockMode,
      writerLogGroupName: `${prefix}guardrails/guard-rules-writer`,
      writerLogRetention: props.logRetention,
    });
  }
}
