import { Stack } from 'aws-cdk-lib';
import * as securityhub from 'aws-cdk-lib/aws-securityhub';
import { Construct } from 'constructs';

/**
 * The Security Hub CSPM standards this account enables, by the ARN path AWS gives them (DescribeStandards; "Security
 * Hub standards reference", https://docs.aws.amazon.com/securityhub/latest/userguide/standards-reference.html).
 */
export const SECURITY_HUB_STANDARDS = [
  { id: 'FoundationalBestPractices', path: 'standards/aws-foundational-security-best-practices/v/1.0.0' },
  { id: 'Nist80053', path: 'standards/nist-800-53/v/5.0.0' },
] as const;

/**
 * AWS Security Hub CSPM (the Security Hub on the HIPAA list) with the AWS Foundational Security Best Practices and NIST
 * SP 800-53 Rev. 5 standards. Only the CSPM resource types are used: the eligibility data refuses the newer Security
 * Hub's *V2 types (lib/compliance/eligibility/data/cfn-type-decisions.tsv). Default standards are off so that exactly
 * these two run; controls are evaluated on AWS Config's recordings, so AWS Config must record in the account (this
 * stack's recorder, or the organization's). One hub per account and region: an account whose organization already
 * enables Security Hub must configure `detect.securityHub.mode: 'existing'`, or this resource fails to deploy.
 */
export class SecurityHubCspm extends Construct {
  public readonly hub: securityhub.CfnHub;
  public readonly standards: readonly securityhub.CfnStandard[];

  constructor(scope: Construct, id: string) {
    super(scope, id);
    const stack = Stack.of(this);
    this.hub = new securityhub.CfnHub(this, 'Hub', {
      enableDefaultStandards: false,
      // One finding per control across standards (consolidated control findings), and new controls on by default.
      controlFindingGenerator: 'SECURITY_CONTROL',
      autoEnableControls: true,
    });
    this.standards = SECURITY_HUB_STANDARDS.map((standard) => {
      const resource = new securityhub.CfnStandard(this, standard.id, {
        standardsArn: `arn:${stack.partition}:securityhub:${stack.region}::${standard.path}`,
      });
      // A standard can only be enabled once the account is subscribed to Security Hub.
      resource.addResourceDependency(this.hub);
      return resource;
    });
  }
}
