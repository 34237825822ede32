import * as accessanalyzer from 'aws-cdk-lib/aws-accessanalyzer';
import * as guardduty from 'aws-cdk-lib/aws-guardduty';
import { Construct } from 'constructs';
import { AlarmTopicRoute } from './alarm-topic-route';
import type { SecurityAlarms } from './security-alarms';

/**
 * GuardDuty severities: Low 1.0-3.9, Medium 4.0-6.9, High 7.0-8.9, Critical 9.0-10.0 ("Severity levels of GuardDuty
 * findings", https://docs.aws.amazon.com/guardduty/latest/ug/guardduty_findings-severity.html).
 */
export const GUARDDUTY_MEDIUM_SEVERITY = 4;

/** The detector's protection plans (features): what GuardDuty watches beyond its foundational data sources. */
export const GUARDDUTY_FEATURES: guardduty.CfnDetector.CFNFeatureConfigurationProperty[] = [
  // S3 Protection: CloudTrail data events on every bucket (PHI recordings, evidence).
  { name: 'S3_DATA_EVENTS', status: 'ENABLED' },
  // Malware Protection for EC2: scans the relays' EBS volumes when a finding suggests compromise.
  { name: 'EBS_MALWARE_PROTECTION', status: 'ENABLED' },
  // Runtime Monitoring with the automated agent on EC2 (the relays run the SSM agent it needs); no ECS or EKS here.
  {
    name: 'RUNTIME_MONITORING',
    status: 'ENABLED',
    additionalConfiguration: [
      { name: 'EC2_AGENT_MANAGEMENT', status: 'ENABLED' },
      { name: 'ECS_FARGATE_AGENT_MANAGEMENT', status: 'DISABLED' },
      { name: 'EKS_ADDON_MANAGEMENT', status: 'DISABLED' },
    ],
  },
];

export interface GuardDutyDetectorProps {
  readonly securityAlarms: SecurityAlarms;
}

/**
 * The account's GuardDuty detector (one per account and region: an account whose organization already enables
 * GuardDuty must configure `detect.guardDuty.mode: 'existing'`, or this resource fails to deploy), and a route that
 * sends findings of medium severity and above to the security alarm topic.
 */
export class GuardDutyDetector extends Construct {
  public readonly detector: guardduty.CfnDetector;
  public readonly findingsRoute: AlarmTopicRoute;

  constructor(scope: Construct, id: string, props: GuardDutyDetectorProps) {
    super(scope, id);
    this.detector = new guardduty.CfnDetector(this, 'Detector', {
      enable: true,
      // Updated findings reach EventBridge within 15 minutes instead of the default 6 hours.
      findingPublishingFrequency: 'FIFTEEN_MINUTES',
      features: structuredClone(GUARDDUTY_FEATURES),
    });
    this.findingsRoute = new AlarmTopicRoute(this, 'FindingsToAlarmTopic', {
      securityAlarms: props.securityAlarms,
      description: 'GuardDuty findings of medium severity and above to the security alarm topic',
      eventPattern: {
        source: ['aws.guardduty'],
        'detail-type': ['GuardDuty Finding'],
        detail: { severity: [{ numeric: ['>=', GUARDDUTY_MEDIUM_SEVERITY] }] },
      },
    });
  }
}

export interface AccessAnalyzerProps {
  readonly deploymentName: string;
  readonly securityAlarms: SecurityAlarms;
}

/**
 * An IAM Access Analyzer for the account (external access to buckets, keys, roles, secrets and more), and a route
 * that sends each active finding to the security alarm topic.
 */
export class AccountAccessAnalyzer extends Construct {
  public readonly analyzer: accessanalyzer.CfnAnalyzer;
  public readonly findingsRoute: AlarmTopicRoute;

  constructor(scope: Construct, id: string, props: AccessAnalyzerProps) {
    super(scope, id);
    this.analyzer = new accessanalyzer.CfnAnalyzer(this, 'Analyzer', {
      analyzerName: `${props.deploymentName}-account`,
      type: 'ACCOUNT',
    });
    this.findingsRoute = new AlarmTopicRoute(this, 'FindingsToAlarmTopic', {
      securityAlarms: props.securityAlarms,
      description: 'IAM Access Analyzer active findings (external access) to the security alarm topic',
      eventPattern: {
        source: ['aws.access-analyzer'],
        'detail-type': ['Access Analyzer Finding'],
        detail: { status: ['ACTIVE'] },
      },
    });
  }
}
