import { Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/**
 * The role that administers the project's customer-managed keys (CustomerManagedKey gives it the administration
 * actions and nothing that uses a key or rewrites its policy). Only principals of this account, and only with MFA,
 * may assume it. Created in `scope` with id `KeyAdministrator`.
 * @param scopeOfKeys what its description says it administers, e.g. "hipaa-rtc KMS keys in us-west-2"
 */
export function createKeyAdministratorRole(scope: Construct, scopeOfKeys: string): iam.Role {
  return new iam.Role(scope, 'KeyAdministrator', {
    description: `Administers ${scopeOfKeys} (rotation, policy, deletion); cannot encrypt or decrypt data.`,
    assumedBy: new iam.AccountPrincipal(Stack.of(scope).account).withConditions({
      Bool: { 'aws:MultiFactorAuthPresent': 'true' },
    }),
  });
}
