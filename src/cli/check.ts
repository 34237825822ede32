/**
 * `hipaa-rtc check`: judges every resource of any CloudFormation template with the same function as the synth-time
 * rule and the Guard Hook. A non-eligible resource passes only with an eligibility exception recorded in its template
 * metadata by the typed register (template-exceptions.ts), and is then listed as excepted, never silently.
 */
import {
  classifyServiceToken,
  isCustomResourceType,
  judgeResource,
  judgeResourceType,
  ELIGIBILITY_LIST,
  type EligibilityVerdict,
} from '../../lib/compliance/eligibility';
import { eligibilityExceptionIn, type TemplateException } from '../../lib/compliance/exception-metadata';
import { loadTemplate, resolveTemplateFiles } from './template-files';

export interface ResourceResult {
  readonly file: string;
  readonly logicalId: string;
  readonly verdict: EligibilityVerdict;
  /** The register entry from the template metadata that lets a non-eligible resource through. */
  readonly exception?: TemplateException;
  /** Why an eligibility exception in the template metadata was not honoured. */
  readonly exceptionProblems?: readonly string[];
}

export interface CheckResult {
  readonly listDate: string;
  readonly source: string;
  readonly files: readonly string[];
  readonly resources: readonly ResourceResult[];
  /** Non-eligible resources without an honoured exception: any makes the check fail. */
  readonly notEligible: number;
  /** Non-eligible resources passed by an exception recorded in the template metadata. */
  readonly excepted: number;
}

function judge(
  file: string,
  logicalId: string,
  verdict: EligibilityVerdict,
  metadata: unknown,
  today: Date,
): ResourceResult {
  if (verdict.eligible) return { file, logicalId, verdict };
  const lookup = eligibilityExceptionIn(metadata, today);
  if (lookup.kind === 'honoured') return { file, logicalId, verdict, exception: lookup.exception };
  if (lookup.kind === 'refused') return { file, logicalId, verdict, exceptionProblems: lookup.problems };
  return { file, logicalId, verdict };
}

/** @param today the day exceptions are judged against (expiry and review horizon) */
export function checkTemplates(inputs: readonly string[], today: Date = new Date()): CheckResult {
  const files = resolveTemplateFiles(inputs);
  const resources = files.flatMap((file) => {
    const template = loadTemplate(file);
    return Object.entries(template.resources).map(([logicalId, resource]) => {
      const verdict = isCustomResourceType(resource.Type)
        ? judgeResourceType(resource.Type, classifyServiceToken(resource.Properties?.ServiceToken, template.resources))
        : judgeResource(resource.Type, { properties: resource.Properties, parameters: template.parameters });
      return judge(file, logicalId, verdict, resource.Metadata, today);
    });
  });
  return {
    listDate: ELIGIBILITY_LIST.date,
    source: ELIGIBILITY_LIST.source,
    files,
    resources,
    notEligible: resources.filter((r) => !r.verdict.eligible && !r.exception).length,
    excepted: resources.filter((r) => r.exception).length,
  };
}

function mark(result: ResourceResult): string {
  if (result.verdict.eligible) return 'ok ';
  return result.exception ? 'EXC' : 'NOT';
}

export function formatCheckText(result: CheckResult): string {
  const lines: string[] = [];
  for (const file of result.files) {
    lines.push(file);
    for (const resource of result.resources.filter((r) => r.file === file)) {
      const { logicalId, verdict, exception, exceptionProblems } = resource;
      lines.push(`  ${mark(resource)} ${logicalId} ${verdict.type} [${verdict.class}] ${verdict.reason}`);
      if (exception) {
        lines.push(
          `      excepted by the register entry in its template metadata (owner: ${exception.owner}; expires ` +
            `${exception.expires}; ${exception.safeguard}): ${exception.reason}`,
        );
      }
      if (exceptionProblems) {
        lines.push(
          `      its template metadata names an exception that is not honoured: ${exceptionProblems.join('; ')}`,
        );
      }
    }
  }
  lines.push(
    '',
    `${result.resources.length} resources in ${result.files.length} templates; ${result.notEligible} not HIPAA eligible ` +
      `(list dated ${result.listDate}, ${result.source}).`,
  );
  if (result.excepted > 0) {
    lines.push(
      `${result.excepted} not eligible but excepted (EXC) by a reviewed, expiring register entry recorded in the ` +
        'template metadata; the deploy-time Guard Hook does not read metadata (docs/eligibility-gate.md).',
    );
  }
  if (result.notEligible > 0) {
    lines.push(
      'Remove each NOT resource, or (for resources that never store, process or transmit PHI) record a reviewed, ' +
        'expiring exception in lib/compliance/exception-register.ts.',
    );
  }
  return lines.join('\n');
}
