/**
 * What the authorizer needs to verify an OIDC issuer's ID tokens: the signaling stack's own Cognito user pool, or an
 * external issuer from config. One shape for both, here beside the signaling logic, so that neither the stack nor the
 * user-pool construct has to import the other.
 */
export interface OidcIssuer {
  /** Expected `iss` claim. */
  readonly issuer: string;
  /** Expected `aud` claim. */
  readonly audience: string;
  /** HTTPS URL of the issuer's JWKS. */
  readonly jwksUrl: string;
}
