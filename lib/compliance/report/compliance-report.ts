import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AppliedException } from '../apply-exceptions';
import {
  ELIGIBILITY_LIST,
  classifyServiceToken,
  judgeResource,
  type EligibilityClass,
  type ServiceTokenTarget,
} from '../eligibility';
import { listAgeDays, LIST_MAX_AGE_DAYS } from '../eligibility-freshness';
import { eligibilityExceptionIn } from '../exception-metadata';
import { evaluatePaths, pathFails, type PathResult, type TemplateSet } from '../paths';
import { renderPathsSection } from '../paths/render-markdown';
import { renderDetectSection, summarizeDetect, type DetectSummary } from '../../detect/detect-report';
import { SAFEGUARDS, type TemplateJson, type TemplateResource } from './safeguard-map';

export const COMPLIANCE_REPORT_BASENAME = 'compliance-report';

export interface StackTemplate {
  readonly stackId: string;
  readonly stackName: string;
  readonly resources: Readonly<
    Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: Record<string, unknown> }>
  >;
  /** Outputs, region and account let the paths section follow references across stacks. */
  readonly outputs?: Readonly<Record<string, { Value: unknown; Export?: { Name: unknown } }>>;
  readonly region?: string;
  readonly account?: string;
  /** Template-level Metadata (the Detect stack records who runs each detect service there). */
  readonly metadata?: Readonly<Record<string, unknown>>;
}

export interface NagFinding {
  readonly pack: string;
  readonly ruleId: string;
  readonly path: string;
  readonly severity: string;
}

export interface ComplianceReportInput {
  readonly generatedOn: Date;
  readonly stacks: readonly StackTemplate[];
  readonly exceptions: readonly AppliedException[];
  /** Packs that ran, and the unacknowledged findings they reported (empty when synth passed). */
  readonly packs: readonly string[];
  readonly findings: readonly NagFinding[];
  /** False when synth stopped before validation ran, so findings are unknown rather than zero. */
  readonly validationRan: boolean;
}

export interface TypeVerdictRow {
  readonly type: string;
  readonly count: number;
  readonly eligible: boolean;
  /** Not eligible, but every resource of the row carries an honoured eligibility exception in its metadata. */
  readonly excepted: boolean;
  readonly class: EligibilityClass;
  readonly service?: string;
  readonly reason: string;
}

export interface ComplianceReport {
  readonly generatedOn: string;
  readonly eligibilityList: typeof ELIGIBILITY_LIST & { readonly ageDays: number; readonly stale: boolean };
  readonly stacks: ReadonlyArray<{
    stackId: string;
    stackName: string;
    resourceCount: number;
    types: TypeVerdictRow[];
  }>;
  readonly exceptions: readonly AppliedException[];
  readonly nag: {
    readonly validationRan: boolean;
    readonly packs: readonly string[];
    readonly unacknowledged: readonly NagFinding[];
    readonly excepted: number;
  };
  readonly safeguards: ReadonlyArray<{
    citation: string;
    name: string;
    controls: Array<{ control: string; resources: string[] }>;
    /** Paths whose rule protects this safeguard, each with whether it connects. */
    paths: Array<{ rule: string; path: string; connects: boolean }>;
  }>;
  /** Every path the product depends on, hop by hop (the paths pack's evaluation, docs/paths.md). */
  readonly paths: readonly PathResult[];
  /** Detect and recover: what runs, who runs what this app does not, where findings go, what restore tests cover. */
  readonly detect: DetectSummary;
}

/** A concrete region or account, or undefined for a token or an `unknown-...` placeholder. */
function concrete(value: string | undefined): string | undefined {
  return value && !value.includes('${Token') && !value.startsWith('unknown-') ? value : undefined;
}

function templateSetOf(stacks: readonly StackTemplate[]): TemplateSet {
  return {
    stacks: stacks.map((stack) => ({
      stackId: stack.stackId,
      stackName: stack.stackName,
      region: concrete(stack.region),
      account: concrete(stack.account),
      templatePath: '',
      resources: stack.resources,
      outputs: (stack.outputs ?? {}) as TemplateSet['stacks'][number]['outputs'],
    })),
  };
}

function verdictRows(stack: StackTemplate, today: Date): TypeVerdictRow[] {
  const rows = new Map<string, TypeVerdictRow>();
  for (const resource of Object.values(stack.resources)) {
    const token: ServiceTokenTarget | undefined =
      resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CloudFormation::CustomResource'
        ? classifyServiceToken(resource.Properties?.ServiceToken, stack.resources)
        : undefined;
    const verdict = judgeResource(resource.Type, { serviceToken: token, properties: resource.Properties });
    const excepted = !verdict.eligible && eligibilityExceptionIn(resource.Metadata, today).kind === 'honoured';
    // Custom resources of one type can differ by token; keep the worst verdict for the row.
    const key = resource.Type;
    const previous = rows.get(key);
    if (previous && !previous.eligible && !(previous.excepted && !excepted)) {
      rows.set(key, { ...previous, count: previous.count + 1 });
      continue;
    }
    rows.set(key, {
      type: resource.Type,
      count: (previous?.count ?? 0) + 1,
      eligible: verdict.eligible,
      excepted,
      class: verdict.class,
      service: verdict.service,
      reason: verdict.reason,
    });
  }
  return [...rows.values()].sort((a, b) => a.type.localeCompare(b.type));
}

/** Builds the evidence report from the synthesized templates and the run's findings and exceptions. */
export function buildComplianceReport(input: ComplianceReportInput): ComplianceReport {
  const all: TemplateResource[] = input.stacks.flatMap((stack) =>
    Object.entries(stack.resources).map(([logicalId, r]) => ({
      stack: stack.stackId,
      logicalId,
      type: r.Type,
      properties: (r.Properties ?? {}) as Record<string, TemplateJson>,
    })),
  );
  const ageDays = listAgeDays(input.generatedOn);
  const paths = evaluatePaths(templateSetOf(input.stacks));
  return {
    generatedOn: input.generatedOn.toISOString(),
    eligibilityList: { ...ELIGIBILITY_LIST, ageDays, stale: ageDays > LIST_MAX_AGE_DAYS },
    stacks: input.stacks.map((stack) => ({
      stackId: stack.stackId,
      stackName: stack.stackName,
      resourceCount: Object.keys(stack.resources).length,
      types: verdictRows(stack, input.generatedOn),
    })),
    exceptions: input.exceptions,
    nag: {
      validationRan: input.validationRan,
      packs: input.packs,
      unacknowledged: input.findings,
      excepted: input.exceptions.length,
    },
    safeguards: SAFEGUARDS.map((safeguard) => ({
      citation: safeguard.citation,
      name: safeguard.name,
      controls: safeguard.controls.map((control) => ({
        control: control.control,
        resources: all.filter(control.matches).map((r) => `${r.stack}/${r.logicalId} (${r.type})`),
      })),
      paths: paths
        .filter((p) => safeguard.pathRules?.includes(p.rule))
        .map((p) => ({ rule: p.rule, path: p.title, connects: !pathFails(p) })),
    })),
    paths,
    detect: summarizeDetect(input.stacks, input.exceptions),
  };
}

/** Renders the report for a reviewer. */
export function renderComplianceReportMarkdown(report: ComplianceReport): string {
  const list = report.eligibilityList;
  const lines: string[] = [
    '# hipaa-rtc compliance report',
    '',
    `Generated ${report.generatedOn} by \`cdk synth\`. Evidence is read from the synthesized templates.`,
    '',
    '## HIPAA-eligible services list',
    '',
    `- Dated ${list.date}, ${list.entries} entries. Source: ${list.source} (transcription: ${list.transcription}).`,
    `- Age at synth: ${list.ageDays} days${list.stale ? ` — **older than ${LIST_MAX_AGE_DAYS} days: refresh it (docs/eligibility-list.md)**` : ''}.`,
    '',
    '## Resource types by stack',
    '',
  ];
  for (const stack of report.stacks) {
    lines.push(`### ${stack.stackId} (\`${stack.stackName}\`, ${stack.resourceCount} resources)`, '');
    lines.push('| type | count | verdict | service | basis |', '|---|---|---|---|---|');
    for (const row of stack.types) {
      lines.push(
        `| \`${row.type}\` | ${row.count} | ${row.eligible ? 'eligible' : row.excepted ? 'excepted (register)' : '**NOT ELIGIBLE**'} (${row.class}) | ${row.service ?? ''} | ${row.reason.replace(/\|/g, '\\|')} |`,
      );
    }
    lines.push('');
  }
  lines.push('## cdk-nag findings', '');
  lines.push(`Packs: ${report.nag.packs.join(', ')}.`);
  if (!report.nag.validationRan) {
    lines.push('', '**Validation did not run** (synth stopped earlier); findings are unknown, not zero.');
  } else {
    lines.push(
      '',
      `Unacknowledged findings: ${report.nag.unacknowledged.length}. Excepted through the register: ${report.nag.excepted}.`,
    );
    for (const f of report.nag.unacknowledged)
      lines.push(`- ${f.severity.toUpperCase()} ${f.ruleId} on \`${f.path}\` (${f.pack})`);
  }
  lines.push('', '## Exception register', '');
  if (report.exceptions.length === 0) lines.push('No exceptions.');
  for (const e of report.exceptions) {
    lines.push(
      `- **${e.ruleId}** on \`${e.path}\` (${e.logicalId}) — ${e.reason} Compensating control: ${e.compensatingControl} ` +
        `Safeguard: ${e.safeguard}. Owner: ${e.owner}. Expires ${e.expires}.`,
    );
  }
  lines.push('', '## HIPAA Security Rule safeguards', '');
  lines.push('Each control lists the resources whose synthesized settings implement it.', '');
  for (const safeguard of report.safeguards) {
    lines.push(`### ${safeguard.citation} ${safeguard.name}`, '');
    for (const control of safeguard.controls) {
      lines.push(
        `- ${control.control}: ${control.resources.length === 0 ? '_no resource_' : control.resources.map((r) => `\`${r}\``).join(', ')}`,
      );
    }
    for (const path of safeguard.paths)
      lines.push(`- Path ${path.connects ? 'connects' : '**is broken**'} (${path.rule}): ${path.path}`);
    lines.push('');
  }
  lines.push(...renderDetectSection(report.detect));
  lines.push(...renderPathsSection(report.paths));
  return lines.join('\n');
}

/** Reads the stacks' templates from the assembly directory (written even when validation fails synth). */
export function readStackTemplates(
  outdir: string,
  stacks: ReadonlyArray<{
    stackId: string;
    stackName: string;
    templateFile: string;
    region?: string;
    account?: string;
  }>,
): StackTemplate[] {
  return stacks.map((stack) => {
    const file = path.join(outdir, stack.templateFile);
    const template = JSON.parse(fs.readFileSync(file, 'utf8'));
    return {
      stackId: stack.stackId,
      stackName: stack.stackName,
      resources: template.Resources ?? {},
      outputs: template.Outputs ?? {},
      metadata: template.Metadata ?? {},
      region: stack.region,
      account: stack.account,
    };
  });
}

export function writeComplianceReport(outdir: string, report: ComplianceReport): string[] {
  fs.mkdirSync(outdir, { recursive: true });
  const markdown = path.join(outdir, `${COMPLIANCE_REPORT_BASENAME}.md`);
  const json = path.join(outdir, `${COMPLIANCE_REPORT_BASENAME}.json`);
  fs.writeFileSync(markdown, renderComplianceReportMarkdown(report));
  fs.writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  return [markdown, json];
}
