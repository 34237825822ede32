import { namespaceEntries, namespaceOf, typeDecisions, type NamespaceEntry } from '../eligibility';
import { readDataTsv } from '../eligibility/tsv';

/**
 * Which IAM service prefixes the API calls behind a CloudFormation namespace use, so that the SCP (which works on
 * prefixes) can be compared with the gate (which works on resource types) and kept from allowing a service the gate
 * refuses outright.
 *
 * Derived from the data where it can be: a namespace with a HIPAA list entry uses the prefixes iam-prefixes.tsv gives
 * that entry. Otherwise the prefix is the namespace's service name in lower case (AWS::AppRunner -> apprunner), which
 * is right for most services; the table below holds the ones where it is not, from the Service Authorization
 * Reference (https://docs.aws.amazon.com/service-authorization/latest/reference/reference_policies_actions-resources-contextkeys.html).
 */
export const NAMESPACE_IAM_PREFIXES: Readonly<Record<string, readonly string[]>> = {
  // No API of their own: CDK's metadata pseudo-resource, and SAM macros that the transform turns into other types.
  'AWS::CDK': [],
  'AWS::Serverless': [],
  'AWS::AccessAnalyzer': ['access-analyzer'],
  'AWS::ApplicationAutoScaling': ['application-autoscaling'],
  'AWS::AutoScalingPlans': ['autoscaling-plans'],
  'AWS::BCM': ['bcm-dashboards'],
  'AWS::BCMDataExports': ['bcm-data-exports'],
  'AWS::BcmPricingCalculator': ['bcm-pricing-calculator'],
  'AWS::ComputeOptimizer': ['compute-optimizer'],
  'AWS::LicenseManager': ['license-manager'],
  'AWS::ResourceGroups': ['resource-groups'],
  // The list entry is IAM Identity Center (sso, sso-directory), but the identity store has its own prefix.
  'AWS::IdentityStore': ['identitystore'],
  // The legacy Pinpoint Email API is the SES v2 API, under the ses prefix.
  'AWS::PinpointEmail': ['ses'],
  'AWS::OpsWorksCM': ['opsworks-cm'],
  // Object Lambda access points are created with s3:CreateAccessPointForObjectLambda.
  'AWS::S3ObjectLambda': ['s3'],
  'AWS::S3Outposts': ['s3-outposts'],
  'AWS::EMRContainers': ['emr-containers'],
  'AWS::EMRServerless': ['emr-serverless'],
  'AWS::EventSchemas': ['schemas'],
  'AWS::NeptuneGraph': ['neptune-graph'],
  'AWS::CodeStarConnections': ['codestar-connections'],
  'AWS::KendraRanking': ['kendra-ranking'],
  'AWS::CustomerProfiles': ['profile'],
  'AWS::AppIntegrations': ['app-integrations'],
  'AWS::ConnectCampaigns': ['connect-campaigns'],
  'AWS::IoTCoreDeviceAdvisor': ['iotdeviceadvisor'],
  'AWS::PCAConnectorAD': ['pca-connector-ad'],
  'AWS::PCAConnectorSCEP': ['pca-connector-scep'],
  'AWS::SystemsManagerSAP': ['ssm-sap'],
  'AWS::BackupGateway': ['backup-gateway'],
  'AWS::CleanRoomsML': ['cleanrooms-ml'],
  'AWS::ApplicationSignals': ['application-signals'],
};

let byListEntry: ReadonlyMap<string, readonly string[]> | undefined;

function prefixesByListEntry(): ReadonlyMap<string, readonly string[]> {
  byListEntry ??= new Map(
    readDataTsv('iam-prefixes.tsv').map((row) => [row.hipaa_list_entry, row.iam_prefixes.split(' ').filter(Boolean)]),
  );
  return byListEntry;
}

/** The IAM prefixes behind a namespace (`AWS::Service`); an empty list means it makes no API calls of its own. */
export function iamPrefixesOfNamespace(namespace: string): readonly string[] {
  const explicit = NAMESPACE_IAM_PREFIXES[namespace];
  if (explicit) return explicit;
  const listEntry = namespaceEntries().get(namespace)?.hipaaListEntry;
  const joined = (listEntry ?? '')
    .split('; ')
    .filter(Boolean)
    .map((entry) => prefixesByListEntry().get(entry));
  if (joined.length > 0 && joined.every((prefixes) => prefixes !== undefined)) {
    return [...new Set(joined.flat() as string[])];
  }
  return [namespace.split('::')[1].toLowerCase()];
}

/** The IAM prefixes behind a resource type (`AWS::Service::Resource`); unknown shapes yield their lowercased service. */
export function iamPrefixesOfType(type: string): readonly string[] {
  return iamPrefixesOfNamespace(namespaceOf(type) ?? type);
}

/** A namespace the gate refuses whole: decided not-eligible, or decided by type with no type eligible. */
function refusedOutright(entry: NamespaceEntry): boolean {
  if (entry.decision === 'by-type') {
    return ![...typeDecisions().values()].some(
      (decided) => decided.decision === 'eligible' && namespaceOf(decided.type) === entry.namespace,
    );
  }
  return entry.decision === 'not-eligible';
}

/**
 * IAM prefixes every one of whose namespaces the gate refuses outright (decision not-eligible, uncertain rows
 * included). The SCP must not allow them: it would let an API call create what no template may contain. A prefix that
 * also serves an allowed namespace (rds for DocumentDB and Neptune, iot for IoT Core) stays allowed, and the
 * difference is named in test/compliance/agreement.test.ts and docs/scp.md.
 */
export function prefixesRefusedByTheGate(): ReadonlyMap<string, readonly string[]> {
  const namespacesByPrefix = new Map<string, { refused: string[]; allowed: string[] }>();
  for (const entry of namespaceEntries().values()) {
    for (const prefix of iamPrefixesOfNamespace(entry.namespace)) {
      const group = namespacesByPrefix.get(prefix) ?? { refused: [], allowed: [] };
      (refusedOutright(entry) ? group.refused : group.allowed).push(entry.namespace);
      namespacesByPrefix.set(prefix, group);
    }
  }
  return new Map(
    [...namespacesByPrefix]
      .filter(([, group]) => group.allowed.length === 0)
      .map(([prefix, group]) => [prefix, group.refused.sort()]),
  );
}

/**
 * Prefixes of the namespaces the gate allows as control plane (Application Auto Scaling, billing, license and
 * resource-group management): the gate lets templates create them, so the SCP must let the API calls through too,
 * or a stack the gate passed would fail at deploy.
 */
export function controlPlaneNamespacePrefixes(): readonly string[] {
  return [...namespaceEntries().values()]
    .filter((entry) => entry.decision === 'control-plane')
    .flatMap((entry) => iamPrefixesOfNamespace(entry.namespace));
}
