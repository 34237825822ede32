/**
 * The compliance report's "Detect and recover" section, read from the synthesized templates (what CloudFormation
 * will create), the Detect stack's service metadata (who runs what it does not create) and the applied register.
 */
import { AWS_CONFIG_RULE_PREFIX } from '../compliance/exception';
import { HIPAA_CONFIG_RULES, PACK, controlsOf } from './hipaa-conformance-pack';

/** Template metadata key under which the Detect stack records each service's mode. */
export const DETECT_SERVICES_METADATA_KEY = 'hipaa-rtc:detect-services';

export const DETECT_SERVICES = ['config', 'guardDuty', 'accessAnalyzer', 'securityHub', 'backup'] as const;
export type DetectService = (typeof DETECT_SERVICES)[number];
export type ServiceMode = { readonly mode: 'create' } | { readonly mode: 'existing'; readonly managedBy: string };

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}
export interface DetectReportStack {
  readonly stackId: string;
  readonly resources: Readonly<Record<string, Resource>>;
  readonly metadata?: Readonly<Record<string, unknown>>;
}
export interface DetectReportException {
  readonly ruleId: string;
  readonly path: string;
  readonly reason: string;
  readonly expires: string;
}

export interface DetectSummary {
  /** Per service: created here, or run by someone else (and who). Undefined when no Detect stack was synthesized. */
  readonly services?: Readonly<Record<DetectService, ServiceMode>>;
  readonly config?: {
    readonly allSupported: boolean;
    readonly includeGlobalResourceTypes: boolean;
    readonly deliveryPrefix?: string;
    readonly encrypted: boolean;
    readonly rules: ReadonlyArray<{
      name: string;
      identifier: string;
      controls: readonly string[];
      addedByProject: boolean;
    }>;
    readonly processChecks: readonly string[];
  };
  readonly guardDuty?: { readonly enabledFeatures: readonly string[] };
  readonly accessAnalyzer?: { readonly type: string };
  readonly securityHub?: { readonly standards: readonly string[] };
  readonly backup?: {
    readonly vaultLock?: { minRetentionDays: number; maxRetentionDays: number; changeableForDays?: number };
    readonly rules: ReadonlyArray<{ name: string; schedule: string; deleteAfterDays?: number; copies: number }>;
    readonly protectedResources: number;
    readonly restoreTests: ReadonlyArray<{ resourceType: string; validationWindowHours?: number }>;
    readonly restoreSchedule?: string;
  };
  /** Every EventBridge rule that targets an SNS topic: which sources it forwards. */
  readonly routes: ReadonlyArray<{ rule: string; sources: readonly string[]; detailTypes: readonly string[] }>;
  readonly configRuleExceptions: readonly DetectReportException[];
}

const ofType = (stacks: readonly DetectReportStack[], type: string) =>
  stacks.flatMap((stack) =>
    Object.entries(stack.resources)
      .filter(([, r]) => r.Type === type)
      .map(([logicalId, r]) => ({ stackId: stack.stackId, logicalId, properties: r.Properties ?? {} })),
  );
const strings = (value: unknown): string[] => (Array.isArray(value) ? value.filter((v) => typeof v === 'string') : []);
const targetsTopic = (arn: unknown) => JSON.stringify(arn ?? '').includes('Topic');

export function summarizeDetect(
  stacks: readonly DetectReportStack[],
  exceptions: readonly DetectReportException[],
): DetectSummary {
  const services = stacks.map((s) => s.metadata?.[DETECT_SERVICES_METADATA_KEY]).find((m) => m !== undefined) as
    Record<DetectService, ServiceMode> | undefined;
  const recorder = ofType(stacks, 'AWS::Config::ConfigurationRecorder')[0];
  const channel = ofType(stacks, 'AWS::Config::DeliveryChannel')[0];
  const deployedIdentifiers = new Set(
    ofType(stacks, 'AWS::Config::ConfigRule').map(
      (r) => (r.properties.Source as { SourceIdentifier?: string } | undefined)?.SourceIdentifier,
    ),
  );
  const detector = ofType(stacks, 'AWS::GuardDuty::Detector')[0];
  const analyzer = ofType(stacks, 'AWS::AccessAnalyzer::Analyzer')[0];
  const vault = ofType(stacks, 'AWS::Backup::BackupVault')[0];
  const plan = ofType(stacks, 'AWS::Backup::BackupPlan')[0];
  const restorePlan = ofType(stacks, 'AWS::Backup::RestoreTestingPlan')[0];
  const recordingGroup = (recorder?.properties.RecordingGroup ?? {}) as Record<string, unknown>;
  const lock = vault?.properties.LockConfiguration as
    { MinRetentionDays: number; MaxRetentionDays: number; ChangeableForDays?: number } | undefined;
  return {
    services,
    config: recorder && {
      allSupported: recordingGroup.AllSupported === true,
      includeGlobalResourceTypes: recordingGroup.IncludeGlobalResourceTypes === true,
      deliveryPrefix: channel?.properties.S3KeyPrefix as string | undefined,
      encrypted: channel?.properties.S3KmsKeyArn !== undefined,
      rules: HIPAA_CONFIG_RULES.filter((r) => deployedIdentifiers.has(r.identifier)).map((r) => ({
        name: r.name,
        identifier: r.identifier,
        controls: controlsOf(r),
        addedByProject: r.addedByProject !== undefined,
      })),
      processChecks: HIPAA_CONFIG_RULES.filter((r) => r.processCheck).map((r) => r.name),
    },
    guardDuty: detector && {
      enabledFeatures: ((detector.properties.Features ?? []) as Array<Record<string, unknown>>)
        .filter((f) => f.Status === 'ENABLED')
        .map((f) => {
          const extra = ((f.AdditionalConfiguration ?? []) as Array<Record<string, unknown>>)
            .filter((c) => c.Status === 'ENABLED')
            .map((c) => String(c.Name));
          return extra.length > 0 ? `${String(f.Name)} (${extra.join(', ')})` : String(f.Name);
        }),
    },
    accessAnalyzer: analyzer && { type: String(analyzer.properties.Type) },
    securityHub: ofType(stacks, 'AWS::SecurityHub::Hub')[0] && {
      standards: ofType(stacks, 'AWS::SecurityHub::Standard').map((s) =>
        JSON.stringify(s.properties.StandardsArn).replace(/.*::standards\/([^"]+)".*/, '$1'),
      ),
    },
    backup: vault && {
      vaultLock: lock && {
        minRetentionDays: lock.MinRetentionDays,
        maxRetentionDays: lock.MaxRetentionDays,
        changeableForDays: lock.ChangeableForDays,
      },
      rules: (
        ((plan?.properties.BackupPlan as Record<string, unknown> | undefined)?.BackupPlanRule ?? []) as Array<{
          RuleName?: unknown;
          ScheduleExpression?: unknown;
          Lifecycle?: { DeleteAfterDays?: number };
          CopyActions?: unknown;
        }>
      ).map((r) => ({
        name: String(r.RuleName),
        schedule: String(r.ScheduleExpression),
        deleteAfterDays: r.Lifecycle?.DeleteAfterDays,
        copies: Array.isArray(r.CopyActions) ? r.CopyActions.length : 0,
      })),
      protectedResources: ofType(stacks, 'AWS::Backup::BackupSelection').reduce(
        (sum, s) =>
          sum + ((s.properties.BackupSelection as { Resources?: unknown[] } | undefined)?.Resources?.length ?? 0),
        0,
      ),
      restoreTests: ofType(stacks, 'AWS::Backup::RestoreTestingSelection').map((s) => ({
        resourceType: String(s.properties.ProtectedResourceType),
        validationWindowHours: s.properties.ValidationWindowHours as number | undefined,
      })),
      restoreSchedule: restorePlan?.properties.ScheduleExpression as string | undefined,
    },
    routes: ofType(stacks, 'AWS::Events::Rule')
      .filter((r) => ((r.properties.Targets ?? []) as Array<{ Arn?: unknown }>).some((t) => targetsTopic(t.Arn)))
      .map((r) => {
        const pattern = (r.properties.EventPattern ?? {}) as Record<string, unknown>;
        return {
          rule: `${r.stackId}/${r.logicalId}`,
          sources: strings(pattern.source),
          detailTypes: strings(pattern['detail-type']),
        };
      }),
    configRuleExceptions: exceptions.filter((e) => e.ruleId.startsWith(AWS_CONFIG_RULE_PREFIX)),
  };
}

const SERVICE_NAMES: Record<DetectService, string> = {
  config: 'AWS Config (recorder, delivery channel, HIPAA rules)',
  guardDuty: 'Amazon GuardDuty',
  accessAnalyzer: 'IAM Access Analyzer',
  securityHub: 'AWS Security Hub CSPM (FSBP, NIST 800-53)',
  backup: 'AWS Backup (vault, plan, restore tests)',
};

export function renderDetectSection(summary: DetectSummary): string[] {
  const lines = ['## Detect and recover', ''];
  if (!summary.services) return [...lines, 'No Detect stack was synthesized.', ''];
  lines.push('### Who runs each service', '', '| service | runs here? | who runs it |', '|---|---|---|');
  for (const service of DETECT_SERVICES) {
    const mode = summary.services[service];
    lines.push(
      `| ${SERVICE_NAMES[service]} | ${mode.mode === 'create' ? 'yes (created by this app)' : '**no** (existing)'} | ${mode.mode === 'create' ? 'this account (HipaaRtcDetect stack)' : mode.managedBy} |`,
    );
  }
  lines.push('', '### What runs', '');
  if (summary.config) {
    const c = summary.config;
    lines.push(
      `- **AWS Config** records ${c.allSupported ? 'all supported resource types' : 'a subset of resource types'}` +
        `${c.includeGlobalResourceTypes ? ', global types (IAM) included (home region)' : ', global types excluded'}; ` +
        `delivers to the audit evidence bucket under \`${c.deliveryPrefix ?? '?'}/\`${c.encrypted ? ' encrypted with the audit key' : ''}.`,
      `- **${c.rules.length} AWS managed Config rules**: ${c.rules.filter((r) => !r.addedByProject).length} of "${PACK.name}" (${PACK.source}, read ${PACK.retrieved})` +
        `, and added by the project: ${
          c.rules
            .filter((r) => r.addedByProject)
            .map((r) => r.identifier)
            .join(', ') || 'none'
        }. ` +
        `Process checks, attested by people and not evaluated: ${c.processChecks.join(', ') || 'none'}.`,
    );
  }
  if (summary.guardDuty) lines.push(`- **GuardDuty** detector with ${summary.guardDuty.enabledFeatures.join(', ')}.`);
  if (summary.accessAnalyzer) lines.push(`- **IAM Access Analyzer**, ${summary.accessAnalyzer.type} analyzer.`);
  if (summary.securityHub)
    lines.push(
      `- **AWS Security Hub CSPM** with the standards ${summary.securityHub.standards.map((s) => `\`${s}\``).join(', ')} (consolidated control findings; default standards off).`,
    );
  if (summary.backup) {
    const b = summary.backup;
    lines.push(
      `- **AWS Backup** vault with its own CMK` +
        (b.vaultLock
          ? `, vault lock ${b.vaultLock.changeableForDays !== undefined ? 'COMPLIANCE mode' : 'governance mode'} (retention ${b.vaultLock.minRetentionDays}-${b.vaultLock.maxRetentionDays} days` +
            `${b.vaultLock.changeableForDays !== undefined ? `; immutable ${b.vaultLock.changeableForDays} days after creation` : ''})`
          : ', **no vault lock**') +
        `; ${b.protectedResources} protected resources; rules: ` +
        b.rules
          .map(
            (r) =>
              `${r.name} \`${r.schedule}\` kept ${r.deleteAfterDays ?? '?'} days${r.copies > 0 ? `, ${r.copies} cross-region copy` : ''}`,
          )
          .join('; ') +
        '.',
    );
  }
  lines.push('', '### Where findings go', '');
  if (summary.routes.length === 0) lines.push('No EventBridge rule forwards findings to a topic.');
  for (const route of summary.routes) {
    lines.push(
      `- \`${route.rule}\`: ${route.sources.join(', ')} (${route.detailTypes.join(', ')}) to the security alarm topic`,
    );
  }
  lines.push(
    '',
    'Each route is checked publishable (topic policy and topic key) by the HipaaRtcPaths pack; see "Paths".',
    '',
  );
  lines.push('### What the restore tests cover', '');
  if (!summary.backup || summary.backup.restoreTests.length === 0) lines.push('No restore tests run in this account.');
  else {
    lines.push(
      `Schedule \`${summary.backup.restoreSchedule ?? '?'}\` (UTC): the latest recovery point (within 7 days) of each resource below is restored into a new resource, kept for validation, then deleted by AWS Backup. A failed restore is a failed restore job, which the AWS Backup route sends to the alarm topic.`,
      '',
    );
    for (const test of summary.backup.restoreTests)
      lines.push(`- ${test.resourceType}: validation window ${test.validationWindowHours ?? '?'} hours`);
  }
  lines.push('', '### Config rules the project fails by design', '');
  if (summary.configRuleExceptions.length === 0) lines.push('None.');
  for (const e of summary.configRuleExceptions)
    lines.push(
      `- **${e.ruleId.slice(AWS_CONFIG_RULE_PREFIX.length)}** on \`${e.path}\` (expires ${e.expires}): ${e.reason}`,
    );
  lines.push('');
  return lines;
}
