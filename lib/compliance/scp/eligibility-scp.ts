/**
 * Renders a service control policy for an organization's management account: deny every action whose IAM service
 * prefix does not belong to a HIPAA-eligible service, so no principal in the HIPAA-designated account can use a
 * non-eligible service at all, whatever tool it deploys with. Generated from the same eligibility data as the other
 * enforcement points. Granularity is the IAM prefix, not the resource type: see docs/scp.md for what that misses.
 */

/** The SCP document size quota (characters, whitespace excluded by Organizations; we render minified). */
export const SCP_MAX_CHARACTERS = 5120;

/**
 * IAM prefixes a HIPAA-designated account needs to be operated at all, although their services are not on the
 * list: they manage identity, sessions, support and billing, and never store or process PHI.
 */
export const CONTROL_PLANE_IAM_PREFIXES: Readonly<Record<string, string>> = {
  iam: 'identities and policies; the account cannot be administered without it',
  sts: 'temporary credentials for every role session, including CloudFormation and CDK deploy roles',
  signin: 'console sign-in',
  support: 'AWS Support cases (no PHI may be attached; see docs/scp.md)',
  health: 'AWS Health events about the account',
  'access-analyzer': 'IAM Access Analyzer, which reviews policies for unintended access',
  ce: 'Cost Explorer (billing data only)',
  budgets: 'AWS Budgets (billing data only)',
  servicequotas: 'quota requests, e.g. Lambda concurrency',
  tag: 'Resource Groups Tagging API, used by tagging and inventory tools',
};

export interface ScpDocument {
  readonly Version: '2012-10-17';
  readonly Statement: ReadonlyArray<{
    readonly Sid: string;
    readonly Effect: 'Deny';
    readonly NotAction: readonly string[];
    readonly Resource: '*';
  }>;
}

export interface RenderedScp {
  readonly document: ScpDocument;
  /** Size as Organizations measures it (minified JSON). */
  readonly characters: number;
  readonly allowedPrefixes: readonly string[];
}

/** Renders the SCP; throws when it would exceed the quota rather than emitting a document Organizations rejects. */
export function renderEligibilityScp(eligiblePrefixes: readonly string[], listDate: string): RenderedScp {
  for (const prefix of eligiblePrefixes) {
    if (!/^[a-z0-9-]+$/.test(prefix)) throw new Error(`"${prefix}" is not an IAM service prefix`);
  }
  const allowedPrefixes = [...new Set([...eligiblePrefixes, ...Object.keys(CONTROL_PLANE_IAM_PREFIXES)])].sort();
  const document: ScpDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: `DenyNonHipaaEligibleServices${listDate.replace(/-/g, '')}`,
        Effect: 'Deny',
        NotAction: allowedPrefixes.map((prefix) => `${prefix}:*`),
        Resource: '*',
      },
    ],
  };
  const characters = JSON.stringify(document).length;
  if (characters > SCP_MAX_CHARACTERS) {
    throw new Error(
      `The eligibility SCP is ${characters} characters, over the ${SCP_MAX_CHARACTERS}-character quota; ` +
        'split it by service family or switch to an allow-list strategy (docs/scp.md)',
    );
  }
  return { document, characters, allowedPrefixes };
}
