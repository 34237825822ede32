/**
 * Every IAM action of AWS KMS, as data, so that an action pattern (`kms:Get*`, `kms:Re*`, `kms:*`) can be expanded
 * into the concrete actions it grants and checked for ones a principal must never hold.
 *
 * Source: AWS Service Authorization Reference, "Actions, resources, and condition keys for AWS Key Management
 * Service" (https://docs.aws.amazon.com/service-authorization/latest/reference/list_kms.html), section "Actions
 * defined by AWS Key Management Service", including the permission-only actions (ReEncryptFrom, ReEncryptTo,
 * SynchronizeMultiRegionKey). Transcribed 2026-12-04 and checked against the KMS API Reference's operation list
 * (https://docs.aws.amazon.com/kms/latest/APIReference/API_Operations.html). No network was reachable to diff it with
 * the machine-readable reference (https://servicereference.us-east-1.amazonaws.com/v1/kms/kms.json); do that when
 * refreshing it. A new KMS action missing here is only a gap if a wildcard in a policy would match it: the tests fail
 * on any pattern that matches no action at all, and reviewers should re-read this list when AWS announces KMS APIs.
 */
export const KMS_ACTIONS = [
  'kms:CancelKeyDeletion',
  'kms:ConnectCustomKeyStore',
  'kms:CreateAlias',
  'kms:CreateCustomKeyStore',
  'kms:CreateGrant',
  'kms:CreateKey',
  'kms:Decrypt',
  'kms:DeleteAlias',
  'kms:DeleteCustomKeyStore',
  'kms:DeleteImportedKeyMaterial',
  'kms:DeriveSharedSecret',
  'kms:DescribeCustomKeyStores',
  'kms:DescribeKey',
  'kms:DisableKey',
  'kms:DisableKeyRotation',
  'kms:DisconnectCustomKeyStore',
  'kms:EnableKey',
  'kms:EnableKeyRotation',
  'kms:Encrypt',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateMac',
  'kms:GenerateRandom',
  'kms:GetKeyPolicy',
  'kms:GetKeyRotationStatus',
  'kms:GetParametersForImport',
  'kms:GetPublicKey',
  'kms:ImportKeyMaterial',
  'kms:ListAliases',
  'kms:ListGrants',
  'kms:ListKeyPolicies',
  'kms:ListKeyRotations',
  'kms:ListKeys',
  'kms:ListResourceTags',
  'kms:ListRetirableGrants',
  'kms:PutKeyPolicy',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:ReplicateKey',
  'kms:RetireGrant',
  'kms:RevokeGrant',
  'kms:RotateKeyOnDemand',
  'kms:ScheduleKeyDeletion',
  'kms:Sign',
  'kms:SynchronizeMultiRegionKey',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:UpdateAlias',
  'kms:UpdateCustomKeyStore',
  'kms:UpdateKeyDescription',
  'kms:UpdatePrimaryRegion',
  'kms:Verify',
  'kms:VerifyMac',
] as const;

export type KmsAction = (typeof KMS_ACTIONS)[number];

/**
 * Actions that use a key on data (cryptographic operations) or hand that use to someone else (CreateGrant). A key
 * policy gives these only to service principals under scoping conditions, to service-linked roles that only an AWS
 * service can assume, or to the account root (which delegates to IAM; see docs/keys.md).
 */
export const KMS_USE_ACTIONS: readonly KmsAction[] = [
  'kms:Encrypt',
  'kms:Decrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyPair',
  'kms:GenerateDataKeyPairWithoutPlaintext',
  'kms:GenerateDataKeyWithoutPlaintext',
  'kms:GenerateMac',
  'kms:VerifyMac',
  'kms:Sign',
  'kms:Verify',
  'kms:DeriveSharedSecret',
  'kms:CreateGrant',
];

/**
 * Actions that let their holder obtain use of a key without being given it, so no role may hold them:
 * - PutKeyPolicy replaces the key policy, so its holder can grant itself Decrypt.
 * - ReplicateKey creates a replica of a multi-Region key with a key policy the caller supplies: the same key
 *   material under a policy of the caller's choosing, in another Region.
 * - ImportKeyMaterial (with GetParametersForImport) loads key material the caller knows into a key of EXTERNAL
 *   origin: whoever knows the material can decrypt without KMS. DeleteImportedKeyMaterial makes such a key unusable.
 * - UpdatePrimaryRegion moves the primary of a multi-Region key, whose key policy then governs the replicas' shared
 *   properties.
 * Our keys are single-Region with AWS_KMS origin, so most of these fail today; a role still must not hold them, so
 * that a later change of key spec cannot turn them on silently.
 */
export const KMS_POLICY_ESCALATION_ACTIONS: readonly KmsAction[] = [
  'kms:PutKeyPolicy',
  'kms:ReplicateKey',
  'kms:GetParametersForImport',
  'kms:ImportKeyMaterial',
  'kms:DeleteImportedKeyMaterial',
  'kms:UpdatePrimaryRegion',
];

/** What no role (other than a service-linked role) may hold in a key policy. */
export const KMS_FORBIDDEN_FOR_ROLES: readonly KmsAction[] = [...KMS_USE_ACTIONS, ...KMS_POLICY_ESCALATION_ACTIONS];

function patternRegex(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  // IAM matches action names case-insensitively.
  return new RegExp(`^${escaped}$`, 'i');
}

/**
 * The KMS actions an IAM action pattern grants (`*` and `?` wildcards, case-insensitive, as IAM evaluates them).
 * `*` and `kms:*` give every action; a pattern of another service gives none.
 */
export function expandKmsActionPattern(pattern: string, catalog: readonly string[] = KMS_ACTIONS): string[] {
  const regex = patternRegex(pattern);
  return catalog.filter((action) => regex.test(action));
}

/** The forbidden actions that any of the patterns grants, each once, sorted. */
export function forbiddenActionsGranted(
  patterns: readonly string[],
  forbidden: readonly string[] = KMS_FORBIDDEN_FOR_ROLES,
): string[] {
  const granted = new Set(patterns.flatMap((pattern) => expandKmsActionPattern(pattern)));
  return forbidden.filter((action) => granted.has(action)).sort();
}
