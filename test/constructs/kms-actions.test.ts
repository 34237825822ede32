import { KEY_ADMINISTRATION_ACTIONS } from '../../lib/constructs/customer-managed-key';
import {
  KMS_ACTIONS,
  KMS_FORBIDDEN_FOR_ROLES,
  KMS_POLICY_ESCALATION_ACTIONS,
  KMS_USE_ACTIONS,
  expandKmsActionPattern,
  forbiddenActionsGranted,
} from '../../lib/constructs/kms-actions';

/** The administrator's list before issue 11: `kms:Put*` gave it PutKeyPolicy, and so Decrypt at will. */
const ADMINISTRATION_ACTIONS_BEFORE_ISSUE_11 = [
  'kms:CreateAlias',
  'kms:Describe*',
  'kms:Enable*',
  'kms:List*',
  'kms:Put*',
  'kms:Update*',
  'kms:Revoke*',
  'kms:Disable*',
  'kms:Get*',
  'kms:Delete*',
  'kms:TagResource',
  'kms:UntagResource',
  'kms:ScheduleKeyDeletion',
  'kms:CancelKeyDeletion',
  'kms:RotateKeyOnDemand',
];

describe('the KMS action catalog', () => {
  test('is a sorted list of unique kms: actions in IAM spelling', () => {
    expect(new Set(KMS_ACTIONS).size).toBe(KMS_ACTIONS.length);
    expect([...KMS_ACTIONS]).toEqual([...KMS_ACTIONS].sort());
    for (const action of KMS_ACTIONS) expect(action).toMatch(/^kms:[A-Z][A-Za-z]+$/);
  });

  test('holds every action this project names as use or escalation', () => {
    for (const action of [...KMS_USE_ACTIONS, ...KMS_POLICY_ESCALATION_ACTIONS]) expect(KMS_ACTIONS).toContain(action);
    expect(KMS_FORBIDDEN_FOR_ROLES).toEqual([...KMS_USE_ACTIONS, ...KMS_POLICY_ESCALATION_ACTIONS]);
  });
});

describe('expandKmsActionPattern', () => {
  test.each([
    ['kms:Put*', ['kms:PutKeyPolicy']],
    ['kms:Create*', ['kms:CreateAlias', 'kms:CreateCustomKeyStore', 'kms:CreateGrant', 'kms:CreateKey']],
    ['kms:Re*', ['kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:ReplicateKey', 'kms:RetireGrant', 'kms:RevokeGrant']],
    ['kms:ReEncrypt*', ['kms:ReEncryptFrom', 'kms:ReEncryptTo']],
    [
      'kms:Generate*',
      [
        'kms:GenerateDataKey',
        'kms:GenerateDataKeyPair',
        'kms:GenerateDataKeyPairWithoutPlaintext',
        'kms:GenerateDataKeyWithoutPlaintext',
        'kms:GenerateMac',
        'kms:GenerateRandom',
      ],
    ],
    ['kms:Get*', ['kms:GetKeyPolicy', 'kms:GetKeyRotationStatus', 'kms:GetParametersForImport', 'kms:GetPublicKey']],
    [
      'kms:Update*',
      ['kms:UpdateAlias', 'kms:UpdateCustomKeyStore', 'kms:UpdateKeyDescription', 'kms:UpdatePrimaryRegion'],
    ],
    ['kms:decrypt', ['kms:Decrypt']],
    ['kms:?ecrypt', ['kms:Decrypt']],
    ['kms:DoesNotExist', []],
    ['s3:*', []],
  ])('%s expands to exactly the matching actions', (pattern, expected) => {
    expect(expandKmsActionPattern(pattern)).toEqual(expected);
  });

  test('kms:* and * grant every action', () => {
    expect(expandKmsActionPattern('kms:*')).toEqual([...KMS_ACTIONS]);
    expect(expandKmsActionPattern('*')).toEqual([...KMS_ACTIONS]);
  });
});

describe('forbiddenActionsGranted', () => {
  test('finds PutKeyPolicy and the import and multi-Region escalations in the pre-issue-11 administrator list', () => {
    expect(forbiddenActionsGranted(ADMINISTRATION_ACTIONS_BEFORE_ISSUE_11)).toEqual(
      [
        'kms:PutKeyPolicy',
        'kms:GetParametersForImport',
        'kms:DeleteImportedKeyMaterial',
        'kms:UpdatePrimaryRegion',
      ].sort(),
    );
  });

  test('finds every use action behind the wildcards that smuggle them', () => {
    expect(forbiddenActionsGranted(['kms:Generate*'])).toEqual(
      [
        'kms:GenerateDataKey',
        'kms:GenerateDataKeyPair',
        'kms:GenerateDataKeyPairWithoutPlaintext',
        'kms:GenerateDataKeyWithoutPlaintext',
        'kms:GenerateMac',
      ].sort(),
    );
    expect(forbiddenActionsGranted(['kms:Create*'])).toEqual(['kms:CreateGrant']);
    expect(forbiddenActionsGranted(['kms:Re*'])).toEqual(['kms:ReEncryptFrom', 'kms:ReEncryptTo', 'kms:ReplicateKey']);
    expect(forbiddenActionsGranted(['kms:*'])).toEqual([...KMS_FORBIDDEN_FOR_ROLES].sort());
  });

  test('finds nothing in the administrator list, which names only catalogued actions', () => {
    expect(forbiddenActionsGranted(KEY_ADMINISTRATION_ACTIONS)).toEqual([]);
    for (const action of KEY_ADMINISTRATION_ACTIONS) expect(expandKmsActionPattern(action)).toEqual([action]);
  });

  test('the administrator keeps what administering needs', () => {
    expect(KEY_ADMINISTRATION_ACTIONS).toEqual(
      expect.arrayContaining([
        'kms:DescribeKey',
        'kms:GetKeyPolicy',
        'kms:EnableKeyRotation',
        'kms:RotateKeyOnDemand',
        'kms:DisableKey',
        'kms:EnableKey',
        'kms:ScheduleKeyDeletion',
        'kms:CancelKeyDeletion',
        'kms:RevokeGrant',
      ]),
    );
  });
});
