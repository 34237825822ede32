/**
 * The AWS managed Config rules of AWS's "Operational Best Practices for HIPAA Security" conformance pack, as data:
 * one row per rule with its name, managed-rule identifier, the pack's parameter values, the pack's scope and the
 * HIPAA Security Rule controls it maps to. The Detect stack deploys every deployable row as an AWS::Config::ConfigRule
 * (test/detect/config-rules.test.ts proves the synthesized rules and this file agree), and the compliance report
 * lists them.
 *
 * Refresh: read the pack template again at PACK.source, compare rule by rule, update PACK.retrieved and the commit.
 */

/** Where the rows come from. */
export const PACK = {
  name: 'Operational Best Practices for HIPAA Security',
  /** The conformance pack template the rows, parameters and scopes were copied from. */
  source:
    'https://github.com/awslabs/aws-config-rules/blob/1c527eab397842f0e88920714ce814471309c64b/aws-config-conformance-packs/Operational-Best-Practices-for-HIPAA-Security.yaml',
  /** The day the template above was read for this file. */
  retrieved: '2026-12-04',
  /** The page that maps each rule to HIPAA controls. */
  mappingSource:
    'https://docs.aws.amazon.com/config/latest/developerguide/operational-best-practices-for-hipaa_security.html',
  /**
   * How `controls` were filled in. The mapping page could not be read in full offline, so each row carries the
   * controls of its control family, and each family's controls are the Control IDs that cdk-nag 3.0.2's
   * HIPAA.Security pack cites for its equivalent rules (that pack follows the same AWS mapping page). Verify rows
   * against `mappingSource` at the next refresh; a row that differs there is a defect in this file.
   */
  mappingMethod:
    "control families; each family's controls are those cdk-nag 3.0.2's HIPAA.Security pack cites for equivalent rules (it follows AWS's mapping page); rows to be verified against the mapping page at the next refresh",
} as const;

/** HIPAA Security Rule controls per family of rules (see PACK.mappingMethod). */
export const CONTROL_FAMILIES = {
  /** Encryption of stored data. */
  encryptionAtRest: ['164.312(a)(2)(iv)', '164.312(e)(2)(ii)'],
  /** Encryption and integrity of data in transit. */
  encryptionInTransit: ['164.312(a)(2)(iv)', '164.312(e)(1)', '164.312(e)(2)(i)', '164.312(e)(2)(ii)'],
  /** Logging that supports audit controls. */
  auditLogging: ['164.312(b)'],
  /** Account-wide activity records and their review. */
  activityReview: ['164.308(a)(1)(ii)(D)', '164.308(a)(3)(ii)(A)', '164.312(b)'],
  /** Least privilege on resources. */
  accessControl: ['164.308(a)(3)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)'],
  /** Network exposure. */
  networkAccess: ['164.308(a)(3)(i)', '164.308(a)(4)(ii)(A)', '164.308(a)(4)(ii)(C)', '164.312(a)(1)', '164.312(e)(1)'],
  /** IAM policies and the root user. */
  iamPolicies: [
    '164.308(a)(3)(i)',
    '164.308(a)(3)(ii)(A)',
    '164.308(a)(3)(ii)(B)',
    '164.308(a)(4)(i)',
    '164.308(a)(4)(ii)(A)',
    '164.308(a)(4)(ii)(B)',
    '164.308(a)(4)(ii)(C)',
    '164.312(a)(1)',
  ],
  /** Credential lifecycle (rotation, unused credentials). */
  credentialLifecycle: ['164.308(a)(4)(ii)(B)'],
  /** Passwords. */
  passwordManagement: ['164.308(a)(5)(ii)(D)'],
  /** Multi-factor authentication. */
  authentication: ['164.312(d)'],
  /** Backups and their retention. */
  backup: ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(A)', '164.308(a)(7)(ii)(B)'],
  /** Capacity, redundancy and deletion protection. */
  availability: ['164.308(a)(7)(i)', '164.308(a)(7)(ii)(C)'],
  /** Tamper evidence and immutability. */
  integrity: ['164.312(c)(1)', '164.312(c)(2)'],
  /** Patching and protection from malicious software. */
  patching: ['164.308(a)(5)(ii)(B)'],
  /** Threat detection and security-incident procedures. */
  threatDetection: ['164.308(a)(1)(ii)(D)', '164.308(a)(5)(ii)(B)', '164.308(a)(6)(ii)'],
  /** Risk analysis (a process check: attested by people, not evaluated on resources). */
  riskAnalysis: ['164.308(a)(1)(ii)(A)'],
} as const satisfies Record<string, readonly string[]>;

export type ControlFamily = keyof typeof CONTROL_FAMILIES;

export interface ManagedConfigRule {
  /** The rule name in the pack (the deployed name prefixes the deployment name). */
  readonly name: string;
  /** The AWS managed rule identifier (Source.SourceIdentifier). */
  readonly identifier: string;
  readonly family: ControlFamily;
  /** Input parameters exactly as the pack sets them (its defaults). */
  readonly parameters?: Readonly<Record<string, string>>;
  /** Scope.ComplianceResourceTypes as the pack sets it. */
  readonly resourceTypes?: readonly string[];
  /**
   * A process check (AWS_CONFIG_PROCESS_CHECK) exists only inside conformance packs and evaluates no resource: it is
   * listed in the report as a manual attestation and not deployed as a rule.
   */
  readonly processCheck?: true;
  /** Set on rows this project adds to the pack, with why. */
  readonly addedByProject?: string;
}

const rule = (
  name: string,
  identifier: string,
  family: ControlFamily,
  extra: Omit<ManagedConfigRule, 'name' | 'identifier' | 'family'> = {},
): ManagedConfigRule => ({ name, identifier, family, ...extra });

const on = (...resourceTypes: string[]) => ({ resourceTypes });
const S3 = on('AWS::S3::Bucket');
const SG = on('AWS::EC2::SecurityGroup');
const EC2 = on('AWS::EC2::Instance');
const RDS_INSTANCE = on('AWS::RDS::DBInstance');
const RDS_CLUSTER = on('AWS::RDS::DBCluster');
const REDSHIFT = on('AWS::Redshift::Cluster');
const OPENSEARCH = on('AWS::OpenSearch::Domain');
const CLASSIC_ELB = on('AWS::ElasticLoadBalancing::LoadBalancer');
const KMS_BLOCKED = { blockedActionsPatterns: 'kms:*, kms:Decrypt, kms:ReEncrypt*' };

/** Every rule of the pack, in the pack's order, then the rules this project adds. */
export const HIPAA_CONFIG_RULES: readonly ManagedConfigRule[] = [
  rule('access-keys-rotated', 'ACCESS_KEYS_ROTATED', 'credentialLifecycle', { parameters: { maxAccessKeyAge: '90' } }),
  rule(
    'acm-certificate-expiration-check',
    'ACM_CERTIFICATE_EXPIRATION_CHECK',
    'encryptionInTransit',
    on('AWS::ACM::Certificate'),
  ),
  rule('alb-http-to-https-redirection-check', 'ALB_HTTP_TO_HTTPS_REDIRECTION_CHECK', 'encryptionInTransit'),
  rule('alb-waf-enabled', 'ALB_WAF_ENABLED', 'networkAccess', on('AWS::ElasticLoadBalancingV2::LoadBalancer')),
  rule('api-gw-associated-with-waf', 'API_GW_ASSOCIATED_WITH_WAF', 'networkAccess', on('AWS::ApiGateway::Stage')),
  rule(
    'api-gw-execution-logging-enabled',
    'API_GW_EXECUTION_LOGGING_ENABLED',
    'auditLogging',
    on('AWS::ApiGateway::Stage', 'AWS::ApiGatewayV2::Stage'),
  ),
  rule('api-gw-ssl-enabled', 'API_GW_SSL_ENABLED', 'encryptionInTransit', on('AWS::ApiGateway::Stage')),
  rule('aurora-resources-protected-by-backup-plan', 'AURORA_RESOURCES_PROTECTED_BY_BACKUP_PLAN', 'backup', RDS_CLUSTER),
  rule(
    'autoscaling-group-elb-healthcheck-required',
    'AUTOSCALING_GROUP_ELB_HEALTHCHECK_REQUIRED',
    'availability',
    on('AWS::AutoScaling::AutoScalingGroup'),
  ),
  rule(
    'autoscaling-launch-config-public-ip-disabled',
    'AUTOSCALING_LAUNCH_CONFIG_PUBLIC_IP_DISABLED',
    'networkAccess',
    on('AWS::AutoScaling::LaunchConfiguration'),
  ),
  rule(
    'backup-plan-min-frequency-and-min-retention-check',
    'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
    'backup',
    on('AWS::Backup::BackupPlan'),
  ),
  rule(
    'backup-recovery-point-encrypted',
    'BACKUP_RECOVERY_POINT_ENCRYPTED',
    'encryptionAtRest',
    on('AWS::Backup::RecoveryPoint'),
  ),
  rule(
    'backup-recovery-point-manual-deletion-disabled',
    'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED',
    'backup',
    on('AWS::Backup::BackupVault'),
  ),
  rule('cloud-trail-cloud-watch-logs-enabled', 'CLOUD_TRAIL_CLOUD_WATCH_LOGS_ENABLED', 'activityReview'),
  rule('cloudtrail-enabled', 'CLOUD_TRAIL_ENABLED', 'activityReview'),
  rule('cloud-trail-encryption-enabled', 'CLOUD_TRAIL_ENCRYPTION_ENABLED', 'encryptionAtRest'),
  rule('cloud-trail-log-file-validation-enabled', 'CLOUD_TRAIL_LOG_FILE_VALIDATION_ENABLED', 'integrity'),
  rule('cloudtrail-s3-dataevents-enabled', 'CLOUDTRAIL_S3_DATAEVENTS_ENABLED', 'activityReview'),
  rule('cloudwatch-alarm-action-check', 'CLOUDWATCH_ALARM_ACTION_CHECK', 'activityReview', {
    parameters: { alarmActionRequired: 'true', insufficientDataActionRequired: 'true', okActionRequired: 'false' },
    resourceTypes: ['AWS::CloudWatch::Alarm'],
  }),
  rule(
    'codebuild-project-envvar-awscred-check',
    'CODEBUILD_PROJECT_ENVVAR_AWSCRED_CHECK',
    'accessControl',
    on('AWS::CodeBuild::Project'),
  ),
  rule(
    'codebuild-project-source-repo-url-check',
    'CODEBUILD_PROJECT_SOURCE_REPO_URL_CHECK',
    'accessControl',
    on('AWS::CodeBuild::Project'),
  ),
  rule('db-instance-backup-enabled', 'DB_INSTANCE_BACKUP_ENABLED', 'backup', RDS_INSTANCE),
  rule('dms-replication-not-public', 'DMS_REPLICATION_NOT_PUBLIC', 'networkAccess'),
  rule('dynamodb-autoscaling-enabled', 'DYNAMODB_AUTOSCALING_ENABLED', 'availability', on('AWS::DynamoDB::Table')),
  rule('dynamodb-in-backup-plan', 'DYNAMODB_IN_BACKUP_PLAN', 'backup'),
  rule('dynamodb-pitr-enabled', 'DYNAMODB_PITR_ENABLED', 'backup', on('AWS::DynamoDB::Table')),
  rule('dynamodb-throughput-limit-check', 'DYNAMODB_THROUGHPUT_LIMIT_CHECK', 'availability'),
  rule('ebs-in-backup-plan', 'EBS_IN_BACKUP_PLAN', 'backup'),
  rule('ebs-snapshot-public-restorable-check', 'EBS_SNAPSHOT_PUBLIC_RESTORABLE_CHECK', 'networkAccess'),
  rule('ec2-ebs-encryption-by-default', 'EC2_EBS_ENCRYPTION_BY_DEFAULT', 'encryptionAtRest'),
  rule('ec2-imdsv2-check', 'EC2_IMDSV2_CHECK', 'accessControl', EC2),
  rule(
    'ec2-instance-managed-by-systems-manager',
    'EC2_INSTANCE_MANAGED_BY_SSM',
    'patching',
    on('AWS::EC2::Instance', 'AWS::SSM::ManagedInstanceInventory'),
  ),
  rule('ec2-instance-no-public-ip', 'EC2_INSTANCE_NO_PUBLIC_IP', 'networkAccess', EC2),
  rule('ec2-instance-profile-attached', 'EC2_INSTANCE_PROFILE_ATTACHED', 'accessControl', EC2),
  rule(
    'ec2-managedinstance-association-compliance-status-check',
    'EC2_MANAGEDINSTANCE_ASSOCIATION_COMPLIANCE_STATUS_CHECK',
    'patching',
    on('AWS::SSM::AssociationCompliance'),
  ),
  rule(
    'ec2-managedinstance-patch-compliance-status-check',
    'EC2_MANAGEDINSTANCE_PATCH_COMPLIANCE_STATUS_CHECK',
    'patching',
    on('AWS::SSM::PatchCompliance'),
  ),
  rule('ec2-resources-protected-by-backup-plan', 'EC2_RESOURCES_PROTECTED_BY_BACKUP_PLAN', 'backup', EC2),
  rule('ec2-stopped-instance', 'EC2_STOPPED_INSTANCE', 'availability'),
  rule(
    'ecs-containers-readonly-access',
    'ECS_CONTAINERS_READONLY_ACCESS',
    'accessControl',
    on('AWS::ECS::TaskDefinition'),
  ),
  rule(
    'ecs-task-definition-user-for-host-mode-check',
    'ECS_TASK_DEFINITION_USER_FOR_HOST_MODE_CHECK',
    'accessControl',
    on('AWS::ECS::TaskDefinition'),
  ),
  rule('efs-encrypted-check', 'EFS_ENCRYPTED_CHECK', 'encryptionAtRest'),
  rule('efs-in-backup-plan', 'EFS_IN_BACKUP_PLAN', 'backup'),
  rule(
    'elastic-beanstalk-managed-updates-enabled',
    'ELASTIC_BEANSTALK_MANAGED_UPDATES_ENABLED',
    'patching',
    on('AWS::ElasticBeanstalk::Environment'),
  ),
  rule(
    'elasticache-redis-cluster-automatic-backup-check',
    'ELASTICACHE_REDIS_CLUSTER_AUTOMATIC_BACKUP_CHECK',
    'backup',
  ),
  rule('elasticsearch-encrypted-at-rest', 'ELASTICSEARCH_ENCRYPTED_AT_REST', 'encryptionAtRest'),
  rule('elasticsearch-in-vpc-only', 'ELASTICSEARCH_IN_VPC_ONLY', 'networkAccess'),
  rule(
    'elasticsearch-logs-to-cloudwatch',
    'ELASTICSEARCH_LOGS_TO_CLOUDWATCH',
    'auditLogging',
    on('AWS::Elasticsearch::Domain'),
  ),
  rule(
    'elasticsearch-node-to-node-encryption-check',
    'ELASTICSEARCH_NODE_TO_NODE_ENCRYPTION_CHECK',
    'encryptionInTransit',
    on('AWS::Elasticsearch::Domain'),
  ),
  rule('elb-acm-certificate-required', 'ELB_ACM_CERTIFICATE_REQUIRED', 'encryptionInTransit', CLASSIC_ELB),
  rule('elb-cross-zone-load-balancing-enabled', 'ELB_CROSS_ZONE_LOAD_BALANCING_ENABLED', 'availability', CLASSIC_ELB),
  rule(
    'elb-deletion-protection-enabled',
    'ELB_DELETION_PROTECTION_ENABLED',
    'availability',
    on('AWS::ElasticLoadBalancingV2::LoadBalancer'),
  ),
  rule(
    'elb-logging-enabled',
    'ELB_LOGGING_ENABLED',
    'auditLogging',
    on('AWS::ElasticLoadBalancing::LoadBalancer', 'AWS::ElasticLoadBalancingV2::LoadBalancer'),
  ),
  rule('elb-predefined-security-policy-ssl-check', 'ELB_PREDEFINED_SECURITY_POLICY_SSL_CHECK', 'encryptionInTransit', {
    parameters: { predefinedPolicyName: 'ELBSecurityPolicy-TLS-1-2-2017-01' },
    ...CLASSIC_ELB,
  }),
  rule('elb-tls-https-listeners-only', 'ELB_TLS_HTTPS_LISTENERS_ONLY', 'encryptionInTransit', CLASSIC_ELB),
  rule('elbv2-acm-certificate-required', 'ELBV2_ACM_CERTIFICATE_REQUIRED', 'encryptionInTransit'),
  rule('emr-kerberos-enabled', 'EMR_KERBEROS_ENABLED', 'accessControl'),
  rule('emr-master-no-public-ip', 'EMR_MASTER_NO_PUBLIC_IP', 'networkAccess'),
  rule('encrypted-volumes', 'ENCRYPTED_VOLUMES', 'encryptionAtRest', on('AWS::EC2::Volume')),
  rule('guardduty-enabled-centralized', 'GUARDDUTY_ENABLED_CENTRALIZED', 'threatDetection'),
  rule('iam-customer-policy-blocked-kms-actions', 'IAM_CUSTOMER_POLICY_BLOCKED_KMS_ACTIONS', 'iamPolicies', {
    parameters: KMS_BLOCKED,
    resourceTypes: ['AWS::IAM::Policy'],
  }),
  rule('iam-inline-policy-blocked-kms-actions', 'IAM_INLINE_POLICY_BLOCKED_KMS_ACTIONS', 'iamPolicies', {
    parameters: KMS_BLOCKED,
    resourceTypes: ['AWS::IAM::Group', 'AWS::IAM::Role', 'AWS::IAM::User'],
  }),
  rule(
    'iam-no-inline-policy-check',
    'IAM_NO_INLINE_POLICY_CHECK',
    'iamPolicies',
    on('AWS::IAM::User', 'AWS::IAM::Role', 'AWS::IAM::Group'),
  ),
  rule('iam-password-policy', 'IAM_PASSWORD_POLICY', 'passwordManagement', {
    parameters: {
      MaxPasswordAge: '90',
      MinimumPasswordLength: '14',
      PasswordReusePrevention: '24',
      RequireLowercaseCharacters: 'true',
      RequireNumbers: 'true',
      RequireSymbols: 'true',
      RequireUppercaseCharacters: 'true',
    },
  }),
  rule(
    'iam-policy-no-statements-with-admin-access',
    'IAM_POLICY_NO_STATEMENTS_WITH_ADMIN_ACCESS',
    'iamPolicies',
    on('AWS::IAM::Policy'),
  ),
  rule(
    'iam-policy-no-statements-with-full-access',
    'IAM_POLICY_NO_STATEMENTS_WITH_FULL_ACCESS',
    'iamPolicies',
    on('AWS::IAM::Policy'),
  ),
  rule('iam-root-access-key-check', 'IAM_ROOT_ACCESS_KEY_CHECK', 'iamPolicies'),
  rule('iam-user-mfa-enabled', 'IAM_USER_MFA_ENABLED', 'authentication'),
  rule('iam-user-no-policies-check', 'IAM_USER_NO_POLICIES_CHECK', 'iamPolicies', on('AWS::IAM::User')),
  rule('iam-user-unused-credentials-check', 'IAM_USER_UNUSED_CREDENTIALS_CHECK', 'credentialLifecycle', {
    parameters: { maxCredentialUsageAge: '90' },
  }),
  rule('restricted-ssh', 'INCOMING_SSH_DISABLED', 'networkAccess', SG),
  rule('ec2-instances-in-vpc', 'INSTANCES_IN_VPC', 'networkAccess', EC2),
  // The pack's AuthorizedVpcIds parameter defaults to '' and is then left out (Fn::If to AWS::NoValue).
  rule(
    'internet-gateway-authorized-vpc-only',
    'INTERNET_GATEWAY_AUTHORIZED_VPC_ONLY',
    'networkAccess',
    on('AWS::EC2::InternetGateway'),
  ),
  rule('kinesis-stream-encrypted', 'KINESIS_STREAM_ENCRYPTED', 'encryptionAtRest', on('AWS::Kinesis::Stream')),
  rule(
    'kms-cmk-not-scheduled-for-deletion',
    'KMS_CMK_NOT_SCHEDULED_FOR_DELETION',
    'encryptionAtRest',
    on('AWS::KMS::Key'),
  ),
  rule(
    'lambda-function-public-access-prohibited',
    'LAMBDA_FUNCTION_PUBLIC_ACCESS_PROHIBITED',
    'networkAccess',
    on('AWS::Lambda::Function'),
  ),
  rule('mfa-enabled-for-iam-console-access', 'MFA_ENABLED_FOR_IAM_CONSOLE_ACCESS', 'authentication'),
  rule('multi-region-cloudtrail-enabled', 'MULTI_REGION_CLOUD_TRAIL_ENABLED', 'activityReview'),
  rule('no-unrestricted-route-to-igw', 'NO_UNRESTRICTED_ROUTE_TO_IGW', 'networkAccess', on('AWS::EC2::RouteTable')),
  rule('opensearch-encrypted-at-rest', 'OPENSEARCH_ENCRYPTED_AT_REST', 'encryptionAtRest', OPENSEARCH),
  rule('opensearch-https-required', 'OPENSEARCH_HTTPS_REQUIRED', 'encryptionInTransit', OPENSEARCH),
  rule('opensearch-in-vpc-only', 'OPENSEARCH_IN_VPC_ONLY', 'networkAccess', OPENSEARCH),
  rule('opensearch-logs-to-cloudwatch', 'OPENSEARCH_LOGS_TO_CLOUDWATCH', 'auditLogging', OPENSEARCH),
  rule(
    'opensearch-node-to-node-encryption-check',
    'OPENSEARCH_NODE_TO_NODE_ENCRYPTION_CHECK',
    'encryptionInTransit',
    OPENSEARCH,
  ),
  rule(
    'rds-automatic-minor-version-upgrade-enabled',
    'RDS_AUTOMATIC_MINOR_VERSION_UPGRADE_ENABLED',
    'patching',
    RDS_INSTANCE,
  ),
  rule(
    'rds-cluster-deletion-protection-enabled',
    'RDS_CLUSTER_DELETION_PROTECTION_ENABLED',
    'availability',
    RDS_CLUSTER,
  ),
  rule('rds-enhanced-monitoring-enabled', 'RDS_ENHANCED_MONITORING_ENABLED', 'availability', RDS_INSTANCE),
  rule('rds-in-backup-plan', 'RDS_IN_BACKUP_PLAN', 'backup'),
  rule('rds-instance-public-access-check', 'RDS_INSTANCE_PUBLIC_ACCESS_CHECK', 'networkAccess', RDS_INSTANCE),
  rule('rds-logging-enabled', 'RDS_LOGGING_ENABLED', 'auditLogging', RDS_INSTANCE),
  rule('rds-multi-az-support', 'RDS_MULTI_AZ_SUPPORT', 'availability', RDS_INSTANCE),
  rule('rds-cluster-multi-az-enabled', 'RDS_CLUSTER_MULTI_AZ_ENABLED', 'availability', RDS_CLUSTER),
  rule(
    'rds-snapshot-encrypted',
    'RDS_SNAPSHOT_ENCRYPTED',
    'encryptionAtRest',
    on('AWS::RDS::DBSnapshot', 'AWS::RDS::DBClusterSnapshot'),
  ),
  rule(
    'rds-snapshots-public-prohibited',
    'RDS_SNAPSHOTS_PUBLIC_PROHIBITED',
    'networkAccess',
    on('AWS::RDS::DBSnapshot', 'AWS::RDS::DBClusterSnapshot'),
  ),
  rule('rds-storage-encrypted', 'RDS_STORAGE_ENCRYPTED', 'encryptionAtRest', RDS_INSTANCE),
  rule('redshift-backup-enabled', 'REDSHIFT_BACKUP_ENABLED', 'backup', REDSHIFT),
  rule('redshift-cluster-configuration-check', 'REDSHIFT_CLUSTER_CONFIGURATION_CHECK', 'encryptionAtRest', {
    parameters: { clusterDbEncrypted: 'true', loggingEnabled: 'true' },
    ...REDSHIFT,
  }),
  rule('redshift-cluster-maintenancesettings-check', 'REDSHIFT_CLUSTER_MAINTENANCESETTINGS_CHECK', 'patching', {
    parameters: { allowVersionUpgrade: 'true' },
    ...REDSHIFT,
  }),
  rule('redshift-cluster-public-access-check', 'REDSHIFT_CLUSTER_PUBLIC_ACCESS_CHECK', 'networkAccess', REDSHIFT),
  rule('redshift-require-tls-ssl', 'REDSHIFT_REQUIRE_TLS_SSL', 'encryptionInTransit', REDSHIFT),
  rule('restricted-common-ports', 'RESTRICTED_INCOMING_TRAFFIC', 'networkAccess', {
    parameters: {
      blockedPort1: '20',
      blockedPort2: '21',
      blockedPort3: '3389',
      blockedPort4: '3306',
      blockedPort5: '4333',
    },
    ...SG,
  }),
  rule('root-account-hardware-mfa-enabled', 'ROOT_ACCOUNT_HARDWARE_MFA_ENABLED', 'authentication'),
  rule('root-account-mfa-enabled', 'ROOT_ACCOUNT_MFA_ENABLED', 'authentication'),
  rule(
    's3-account-level-public-access-blocks-periodic',
    'S3_ACCOUNT_LEVEL_PUBLIC_ACCESS_BLOCKS_PERIODIC',
    'networkAccess',
    {
      parameters: {
        BlockPublicAcls: 'true',
        BlockPublicPolicy: 'true',
        IgnorePublicAcls: 'true',
        RestrictPublicBuckets: 'true',
      },
    },
  ),
  rule('s3-bucket-acl-prohibited', 'S3_BUCKET_ACL_PROHIBITED', 'accessControl', S3),
  rule('s3-bucket-default-lock-enabled', 'S3_BUCKET_DEFAULT_LOCK_ENABLED', 'integrity', S3),
  rule('s3-bucket-level-public-access-prohibited', 'S3_BUCKET_LEVEL_PUBLIC_ACCESS_PROHIBITED', 'networkAccess', S3),
  rule('s3-bucket-logging-enabled', 'S3_BUCKET_LOGGING_ENABLED', 'auditLogging', S3),
  rule('s3-bucket-public-read-prohibited', 'S3_BUCKET_PUBLIC_READ_PROHIBITED', 'networkAccess', S3),
  rule('s3-bucket-public-write-prohibited', 'S3_BUCKET_PUBLIC_WRITE_PROHIBITED', 'networkAccess', S3),
  rule('s3-bucket-replication-enabled', 'S3_BUCKET_REPLICATION_ENABLED', 'backup', S3),
  rule('s3-bucket-server-side-encryption-enabled', 'S3_BUCKET_SERVER_SIDE_ENCRYPTION_ENABLED', 'encryptionAtRest', S3),
  rule('s3-bucket-ssl-requests-only', 'S3_BUCKET_SSL_REQUESTS_ONLY', 'encryptionInTransit', S3),
  rule('s3-bucket-versioning-enabled', 'S3_BUCKET_VERSIONING_ENABLED', 'backup', S3),
  rule('s3-default-encryption-kms', 'S3_DEFAULT_ENCRYPTION_KMS', 'encryptionAtRest', S3),
  rule('s3-event-notifications-enabled', 'S3_EVENT_NOTIFICATIONS_ENABLED', 'activityReview', S3),
  rule('s3-version-lifecycle-policy-check', 'S3_VERSION_LIFECYCLE_POLICY_CHECK', 'backup', S3),
  rule(
    'sagemaker-endpoint-configuration-kms-key-configured',
    'SAGEMAKER_ENDPOINT_CONFIGURATION_KMS_KEY_CONFIGURED',
    'encryptionAtRest',
  ),
  rule(
    'sagemaker-notebook-instance-kms-key-configured',
    'SAGEMAKER_NOTEBOOK_INSTANCE_KMS_KEY_CONFIGURED',
    'encryptionAtRest',
  ),
  rule('sagemaker-notebook-no-direct-internet-access', 'SAGEMAKER_NOTEBOOK_NO_DIRECT_INTERNET_ACCESS', 'networkAccess'),
  rule(
    'secretsmanager-rotation-enabled-check',
    'SECRETSMANAGER_ROTATION_ENABLED_CHECK',
    'credentialLifecycle',
    on('AWS::SecretsManager::Secret'),
  ),
  rule('secretsmanager-using-cmk', 'SECRETSMANAGER_USING_CMK', 'encryptionAtRest', on('AWS::SecretsManager::Secret')),
  rule('securityhub-enabled', 'SECURITYHUB_ENABLED', 'threatDetection'),
  rule('sns-encrypted-kms', 'SNS_ENCRYPTED_KMS', 'encryptionAtRest', on('AWS::SNS::Topic')),
  rule('ssm-document-not-public', 'SSM_DOCUMENT_NOT_PUBLIC', 'networkAccess'),
  rule(
    'subnet-auto-assign-public-ip-disabled',
    'SUBNET_AUTO_ASSIGN_PUBLIC_IP_DISABLED',
    'networkAccess',
    on('AWS::EC2::Subnet'),
  ),
  rule('vpc-default-security-group-closed', 'VPC_DEFAULT_SECURITY_GROUP_CLOSED', 'networkAccess', SG),
  rule('vpc-flow-logs-enabled', 'VPC_FLOW_LOGS_ENABLED', 'auditLogging'),
  rule('vpc-sg-open-only-to-authorized-ports', 'VPC_SG_OPEN_ONLY_TO_AUTHORIZED_PORTS', 'networkAccess', SG),
  rule('vpc-vpn-2-tunnels-up', 'VPC_VPN_2_TUNNELS_UP', 'availability', on('AWS::EC2::VPNConnection')),
  rule('wafv2-logging-enabled', 'WAFV2_LOGGING_ENABLED', 'auditLogging'),
  rule('annual-risk-assessment-performed', 'AWS_CONFIG_PROCESS_CHECK', 'riskAnalysis', { processCheck: true }),
  // Added by this project.
  rule('cmk-backing-key-rotation-enabled', 'CMK_BACKING_KEY_ROTATION_ENABLED', 'encryptionAtRest', {
    addedByProject:
      'The pack does not check KMS key rotation; the project requires it on every customer-managed key (HipaaRtc-KMSKeyRotation at synth), and this rule keeps checking it in the account after deployment.',
  }),
];

/** The rows deployed as AWS::Config::ConfigRule resources (process checks are attested, not evaluated). */
export function deployableConfigRules(rules: readonly ManagedConfigRule[] = HIPAA_CONFIG_RULES): ManagedConfigRule[] {
  return rules.filter((r) => !r.processCheck);
}

/** The HIPAA controls a row maps to. */
export function controlsOf(rule: ManagedConfigRule): readonly string[] {
  return CONTROL_FAMILIES[rule.family];
}

/** The deployed rule name: the deployment name keeps two deployments (or an organization's pack) from colliding. */
export function deployedRuleName(deploymentName: string, rule: ManagedConfigRule): string {
  return `${deploymentName}-${rule.name}`;
}

/** A rule by its managed identifier; throws naming the file to fix when it is not in the data. */
export function configRuleByIdentifier(identifier: string): ManagedConfigRule {
  const found = HIPAA_CONFIG_RULES.find((r) => r.identifier === identifier);
  if (!found) {
    throw new Error(`no Config rule with identifier ${identifier} in lib/detect/hipaa-conformance-pack.ts`);
  }
  return found;
}
