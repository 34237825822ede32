/**
 * Renders a service control policy for an organization's management account: deny every action whose IAM service
 * prefix does not belong to a HIPAA-eligible service, so no principal in the HIPAA-designated account can use a
 * non-eligible service at all, whatever tool it deploys with. Generated from the same eligibility data as the other
 * enforcement points. Granularity is the IAM prefix, not the resource type: see docs/scp.md for what that misses.
 */
import { controlPlaneNamespacePrefixes, prefixesRefusedByTheGate } from './namespace-prefixes';

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

/**
 * Resource types the gate refuses inside a service whose prefix the SCP allows: the list's exclusions
 * (lib/compliance/eligibility/type-conditions.ts) and the types refused by a type-level decision
 * (data/cfn-type-decisions.tsv), each with the API actions that create it and nothing else. The SCP denies these
 * actions by name, so a partially eligible service is allowed by prefix and its excluded feature is still refused, as
 * the gate refuses its type. IAM action names are the API operation names (Service Authorization Reference,
 * https://docs.aws.amazon.com/service-authorization/latest/reference/list_awssecurityhub.html for Security Hub).
 */
export const EXCLUDED_FEATURE_ACTIONS: Readonly<
  Record<string, { readonly actions: readonly string[]; readonly why: string }>
> = {
  'AWS::DirectoryService::SimpleAD': {
    actions: ['ds:CreateDirectory'],
    why: 'CreateDirectory creates a Simple AD directory only; Managed Microsoft AD is CreateMicrosoftAD and AD Connector is ConnectDirectory (https://docs.aws.amazon.com/directoryservice/latest/devguide/API_CreateDirectory.html)',
  },
  'AWS::Pinpoint::VoiceChannel': {
    actions: ['mobiletargeting:UpdateVoiceChannel'],
    why: 'the voice channel of a Pinpoint project is enabled with UpdateVoiceChannel (https://docs.aws.amazon.com/pinpoint/latest/apireference/apps-application-id-channels-voice.html)',
  },
  // Security Hub V2 shares the securityhub prefix with Security Hub CSPM (eligible); each V2 type has one creating call.
  'AWS::SecurityHub::HubV2': {
    actions: ['securityhub:EnableSecurityHubV2'],
    why: 'enables Security Hub V2 (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_EnableSecurityHubV2.html); CSPM is enabled with EnableSecurityHub',
  },
  'AWS::SecurityHub::AggregatorV2': {
    actions: ['securityhub:CreateAggregatorV2'],
    why: 'creates a V2 aggregator (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_CreateAggregatorV2.html); CSPM uses CreateFindingAggregator',
  },
  'AWS::SecurityHub::AutomationRuleV2': {
    actions: ['securityhub:CreateAutomationRuleV2'],
    why: 'creates a V2 automation rule (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_CreateAutomationRuleV2.html); CSPM uses CreateAutomationRule',
  },
  'AWS::SecurityHub::ConnectorV2': {
    actions: ['securityhub:CreateConnectorV2'],
    why: 'creates a V2 connector (https://docs.aws.amazon.com/securityhub/1.0/APIReference/API_CreateConnectorV2.html); CSPM uses CreateConnector',
  },
};

export interface ScpStatement {
  readonly Sid: string;
  readonly Effect: 'Deny';
  readonly NotAction?: readonly string[];
  readonly Action?: readonly string[];
  readonly Resource: '*';
}

export interface ScpDocument {
  readonly Version: '2012-10-17';
  readonly Statement: readonly ScpStatement[];
}

export interface RenderedScp {
  readonly document: ScpDocument;
  /** Size as Organizations measures it (minified JSON). */
  readonly characters: number;
  readonly allowedPrefixes: readonly string[];
  /** List prefixes left out because the gate refuses every namespace behind them, with those namespaces. */
  readonly refusedPrefixes: ReadonlyMap<string, readonly string[]>;
}

/**
 * Renders the SCP; throws when it would exceed the quota rather than emitting a document Organizations rejects.
 * A list prefix whose every CloudFormation namespace the gate refuses outright (Timestream while its row is
 * uncertain; RoboMaker, removed from the list) is left out, so the SCP never allows what the gate refuses.
 */
export function renderEligibilityScp(eligiblePrefixes: readonly string[], listDate: string): RenderedScp {
  for (const prefix of eligiblePrefixes) {
    if (!/^[a-z0-9-]+$/.test(prefix)) throw new Error(`"${prefix}" is not an IAM service prefix`);
  }
  const refusedByGate = prefixesRefusedByTheGate();
  const refusedPrefixes = new Map(
    eligiblePrefixes.filter((prefix) => refusedByGate.has(prefix)).map((p) => [p, refusedByGate.get(p) ?? []]),
  );
  const allowedPrefixes = [
    ...new Set([
      ...eligiblePrefixes.filter((prefix) => !refusedPrefixes.has(prefix)),
      ...Object.keys(CONTROL_PLANE_IAM_PREFIXES),
      ...controlPlaneNamespacePrefixes(),
    ]),
  ].sort();
  const document: ScpDocument = {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: `DenyNonHipaaEligibleServices${listDate.replace(/-/g, '')}`,
        Effect: 'Deny',
        NotAction: allowedPrefixes.map((prefix) => `${prefix}:*`),
        Resource: '*',
      },
      {
        Sid: `DenyFeaturesExcludedFromEligibleServices${listDate.replace(/-/g, '')}`,
        Effect: 'Deny',
        Action: Object.values(EXCLUDED_FEATURE_ACTIONS)
          .flatMap((feature) => feature.actions)
          .sort(),
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
  return { document, characters, allowedPrefixes, refusedPrefixes };
}
