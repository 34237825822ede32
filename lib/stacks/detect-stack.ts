import { Stack, type StackProps } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import type { DetectConfig } from '../../config/detect-schema';
import { BackupProtection, type BackupProtectionProps } from '../constructs/backup-protection';
import { ConfigRecorder } from '../constructs/config-recorder';
import { HipaaConfigRules } from '../constructs/hipaa-config-rules';
import type { SecurityAlarms } from '../constructs/security-alarms';
import { SecurityHubCspm } from '../constructs/security-hub';
import { AccountAccessAnalyzer, GuardDutyDetector } from '../constructs/threat-detection';
import { DETECT_SERVICES, DETECT_SERVICES_METADATA_KEY } from '../detect/detect-report';
import { HIPAA_CONFIG_RULES } from '../detect/hipaa-conformance-pack';

export interface DetectStackProps extends StackProps {
  readonly deploymentName: string;
  /** Which services this stack creates, and who runs the others. */
  readonly detect: DetectConfig;
  /**
   * The account's home region: the only region whose recorder records global resource types (IAM).
   * @default - this stack's region
   */
  readonly homeRegion?: string;
  /** Findings and failures go here (the Audit stack's alarm topic). */
  readonly securityAlarms: SecurityAlarms;
  /** AWS Config delivers configuration history here (the Audit stack's Object Lock evidence bucket and its key). */
  readonly evidenceBucket: s3.IBucket;
  readonly evidenceKey: kms.IKey;
  /** Administers the backup vault key. */
  readonly keyAdministrator: iam.IRole;
  /** The Data stack's PHI stores and their key. */
  readonly recordsTable: dynamodb.ITableV2;
  readonly recordingsBucket: s3.IBucket;
  readonly dataKey: kms.IKey;
  /**
   * Copy every recovery point to this vault in a second region (BackupCopyStack).
   * @default - no cross-region copy
   */
  readonly backupCopyTo?: BackupProtectionProps['copyTo'];
}

/**
 * Detect and recover: AWS Config with the HIPAA managed rules, GuardDuty, IAM Access Analyzer and AWS Backup with
 * restore tests; every finding and failure goes to the security alarm topic. Each service is created only when the
 * config says `create`; with `existing` the account's organization runs it. Termination-protected; the vault and its
 * key are retained.
 */
export class DetectStack extends Stack {
  public readonly configRecorder?: ConfigRecorder;
  public readonly configRules?: HipaaConfigRules;
  public readonly guardDuty?: GuardDutyDetector;
  public readonly accessAnalyzer?: AccountAccessAnalyzer;
  public readonly securityHub?: SecurityHubCspm;
  public readonly backup?: BackupProtection;

  constructor(scope: Construct, id: string, props: DetectStackProps) {
    super(scope, id, { ...props, terminationProtection: true });
    const { detect } = props;
    // Evidence for reviewers (and the report): which services this stack creates, and who runs the others.
    this.templateOptions.metadata = {
      ...this.templateOptions.metadata,
      [DETECT_SERVICES_METADATA_KEY]: Object.fromEntries(
        DETECT_SERVICES.map((service) => {
          const mode = detect[service];
          return [
            service,
            mode.mode === 'create' ? { mode: 'create' } : { mode: 'existing', managedBy: mode.managedBy },
          ];
        }),
      ),
    };

    if (detect.config.mode === 'create') {
      this.configRecorder = new ConfigRecorder(this, 'ConfigRecorder', {
        deploymentName: props.deploymentName,
        evidenceBucket: props.evidenceBucket,
        evidenceKey: props.evidenceKey,
        recordGlobalResourceTypes: this.region === (props.homeRegion ?? this.region),
      });
      this.configRules = new HipaaConfigRules(this, 'HipaaConfigRules', {
        deploymentName: props.deploymentName,
        rules: HIPAA_CONFIG_RULES,
        recorder: this.configRecorder.recorder,
      });
    }
    if (detect.guardDuty.mode === 'create') {
      this.guardDuty = new GuardDutyDetector(this, 'GuardDuty', { securityAlarms: props.securityAlarms });
    }
    if (detect.accessAnalyzer.mode === 'create') {
      this.accessAnalyzer = new AccountAccessAnalyzer(this, 'AccessAnalyzer', {
        deploymentName: props.deploymentName,
        securityAlarms: props.securityAlarms,
      });
    }
    if (detect.securityHub.mode === 'create') {
      this.securityHub = new SecurityHubCspm(this, 'SecurityHub');
      // Security Hub CSPM evaluates its controls on AWS Config's recordings: start it after this stack's recorder.
      if (this.configRecorder) this.securityHub.node.addDependency(this.configRecorder.recorder);
    }
    if (detect.backup.mode === 'create') {
      this.backup = new BackupProtection(this, 'Backup', {
        deploymentName: props.deploymentName,
        keyAdministrator: props.keyAdministrator,
        dailyRetentionDays: detect.backup.dailyRetentionDays,
        monthlyRetentionDays: detect.backup.monthlyRetentionDays,
        vaultLock: detect.backup.vaultLock,
        protectedTable: props.recordsTable,
        protectedBucket: props.recordingsBucket,
        dataKey: props.dataKey,
        restoreTesting: detect.backup.restoreTesting,
        securityAlarms: props.securityAlarms,
        copyTo: props.backupCopyTo,
      });
    }
  }
}
