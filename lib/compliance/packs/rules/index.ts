export { default as CloudTrailAccountWideManagementEvents } from './CloudTrailAccountWideManagementEvents';
export { default as DynamoDBCustomerManagedKey } from './DynamoDBCustomerManagedKey';
export { default as DynamoDBRecoveryAndDeletionProtection } from './DynamoDBRecoveryAndDeletionProtection';
export { default as KMSKeyPolicyNoOpenPrincipal } from './KMSKeyPolicyNoOpenPrincipal';
export { default as KMSSymmetricKeyRotation } from './KMSSymmetricKeyRotation';
export { default as LambdaExplicitLogGroup } from './LambdaExplicitLogGroup';
export { default as LogGroupEncryptedWithRetention } from './LogGroupEncryptedWithRetention';
