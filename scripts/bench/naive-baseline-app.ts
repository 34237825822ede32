/**
 * The same resources as the Audit and Data stacks, built the way the L2 defaults would build them, with none of the
 * project's hardening. Used only to measure how many findings the hardening removes; never deployed.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudtrail from 'aws-cdk-lib/aws-cloudtrail';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as cr from 'aws-cdk-lib/custom-resources';
import { SECURITY_ALARMS } from '../../lib/constructs/security-alarm-definitions';

export function buildNaiveApp(app: App): void {
  const env = { region: 'us-east-1' };
  const audit = new Stack(app, 'NaiveAudit', { env });
  new kms.Key(audit, 'AuditKey');
  const trail = new cloudtrail.Trail(audit, 'Trail', { sendToCloudWatchLogs: true });
  const topic = new sns.Topic(audit, 'Topic');
  for (const definition of SECURITY_ALARMS) {
    const filter = new logs.MetricFilter(audit, `${definition.id}Filter`, {
      logGroup: trail.logGroup!,
      filterPattern: logs.FilterPattern.literal(definition.filterPattern),
      metricNamespace: 'Naive',
      metricName: definition.id,
    });
    new cloudwatch.Alarm(audit, `${definition.id}Alarm`, {
      metric: filter.metric(),
      threshold: 1,
      evaluationPeriods: 1,
    }).addAlarmAction({
      bind: () => ({ alarmActionArn: topic.topicArn }),
    });
  }
  const role = new iam.Role(audit, 'ApiGatewayRole', {
    assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
    managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
  });
  new apigateway.CfnAccount(audit, 'ApiGatewayAccount', { cloudWatchRoleArn: role.roleArn });
  new cr.AwsCustomResource(audit, 'Ebs', {
    onCreate: {
      service: 'EC2',
      action: 'enableEbsEncryptionByDefault',
      physicalResourceId: cr.PhysicalResourceId.of('ebs'),
    },
    policy: cr.AwsCustomResourcePolicy.fromSdkCalls({ resources: cr.AwsCustomResourcePolicy.ANY_RESOURCE }),
  });

  const data = new Stack(app, 'NaiveData', { env });
  new kms.Key(data, 'DataKey');
  new s3.Bucket(data, 'Recordings');
  new dynamodb.TableV2(data, 'Records', { partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING } });
}
