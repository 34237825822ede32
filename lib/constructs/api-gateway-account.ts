import { Aws, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

export interface ApiGatewayAccountProps {
  /** Prefix of the project's log groups (access logs); API Gateway may write there and to its execution logs. */
  readonly logGroupNamePrefix: string;
}

/**
 * The account's API Gateway CloudWatch role (a per-region account setting) that stages need before they can log.
 * Instead of the broad AWS managed policy, a customer-managed policy limits writes to API Gateway's execution-log
 * groups and the project's own log groups.
 */
export class ApiGatewayAccount extends Construct {
  public readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ApiGatewayAccountProps) {
    super(scope, id);
    const stack = Stack.of(this);
    // Pseudo-parameters rather than stack.formatArn: the rendered ARN (and so the cdk-nag finding ID an exception
    // names) stays the same whatever region a config deploys to.
    const logGroupArn = (name: string) => `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${name}`;
    const policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Lets API Gateway write execution and access logs to its own and the project log groups.',
      statements: [
        new iam.PolicyStatement({
          sid: 'WriteExecutionAndAccessLogs',
          actions: [
            'logs:CreateLogGroup',
            'logs:CreateLogStream',
            'logs:DescribeLogStreams',
            'logs:PutLogEvents',
            'logs:PutRetentionPolicy',
          ],
          resources: [logGroupArn('API-Gateway-Execution-Logs_*'), logGroupArn(`${props.logGroupNamePrefix}*`)],
        }),
        new iam.PolicyStatement({
          // DescribeLogGroups has no resource-level permissions.
          sid: 'ListLogGroups',
          actions: ['logs:DescribeLogGroups'],
          resources: ['*'],
        }),
      ],
    });
    this.role = new iam.Role(this, 'CloudWatchRole', {
      description: 'Assumed by API Gateway in this account to write CloudWatch logs.',
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': stack.account },
      }),
      managedPolicies: [policy],
    });
    const account = new apigateway.CfnAccount(this, 'Resource', { cloudWatchRoleArn: this.role.roleArn });
    account.node.addDependency(this.role);
  }
}
