import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import type { Construct } from 'constructs';
import type { OidcIssuer } from '../signaling/oidc-issuer';

/** The default issuer: a Cognito user pool whose ID tokens carry an opaque `sub` (UUID). */
export function createUserPool(scope: Construct): {
  userPool: cognito.UserPool;
  client: cognito.UserPoolClient;
  issuer: OidcIssuer;
} {
  const pool = new cognito.UserPool(scope, 'UserPool', {
    // Usernames only: no e-mail or phone attributes, so no PHI-like identifier lives in the pool.
    signInAliases: { username: true },
    selfSignUpEnabled: false,
    mfa: cognito.Mfa.REQUIRED,
    mfaSecondFactor: { otp: true, sms: false },
    passwordPolicy: {
      minLength: 14,
      requireDigits: true,
      requireLowercase: true,
      requireUppercase: true,
      requireSymbols: true,
    },
    accountRecovery: cognito.AccountRecovery.NONE,
    featurePlan: cognito.FeaturePlan.PLUS,
    standardThreatProtectionMode: cognito.StandardThreatProtectionMode.FULL_FUNCTION,
    deletionProtection: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  const client = pool.addClient('WebClient', {
    generateSecret: false,
    authFlows: { userSrp: true },
    preventUserExistenceErrors: true,
    // The authorizer refuses tokens that live longer than an hour.
    idTokenValidity: Duration.hours(1),
    accessTokenValidity: Duration.hours(1),
    refreshTokenValidity: Duration.hours(12),
    enableTokenRevocation: true,
  });
  return {
    userPool: pool,
    client,
    issuer: {
      issuer: pool.userPoolProviderUrl,
      audience: client.userPoolClientId,
      jwksUrl: `${pool.userPoolProviderUrl}/.well-known/jwks.json`,
    },
  };
}
