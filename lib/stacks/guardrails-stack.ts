import { Stack, type StackProps } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { EligibilityGuardHook } from '../constructs/eligibility-guard-hook';

export interface GuardrailsStackProps extends StackProps {
  /** Guard rules generated from the eligibility data. */
  readonly eligibilityGuardRules: string;
  /** Audit key, for the hook's evaluation logs. */
  readonly auditKey: kms.IKey;
  readonly accessLogBucket: s3.IBucket;
}

/**
 * Deploy-time enforcement in the account: a Guard Hook refuses non-eligible resource types in any stack. The
 * organization-level SCP is generated beside the templates (cdk.out/hipaa-eligibility-scp.json) for the management
 * account to attach; it is not deployed from here because SCPs live in the management account.
 */
export class GuardrailsStack extends Stack {
  public readonly eligibilityHook: EligibilityGuardHook;

  constructor(scope: Construct, id: string, props: GuardrailsStackProps) {
    // Termination protection: removing the hook would silently switch deploy-time enforcement off.
    super(scope, id, { terminationProtection: true, ...props });
    this.eligibilityHook = new EligibilityGuardHook(this, 'EligibilityHook', {
      guardRules: props.eligibilityGuardRules,
      logEncryptionKey: props.auditKey,
      accessLogBucket: props.accessLogBucket,
    });
  }
}
