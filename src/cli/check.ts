/**
 * `hipaa-rtc check`: judges every resource of any CloudFormation template with the same function as the synth-time
 * rule and the Guard Hook.
 */
import {
  classifyServiceToken,
  isCustomResourceType,
  judgeResourceType,
  ELIGIBILITY_LIST,
  type EligibilityVerdict,
} from '../../lib/compliance/eligibility';
import { loadTemplate, resolveTemplateFiles } from './template-files';

export interface ResourceResult {
  readonly file: string;
  readonly logicalId: string;
  readonly verdict: EligibilityVerdict;
}

export interface CheckResult {
  readonly listDate: string;
  readonly source: string;
  readonly files: readonly string[];
  readonly resources: readonly ResourceResult[];
  readonly notEligible: number;
}

export function checkTemplates(inputs: readonly string[]): CheckResult {
  const files = resolveTemplateFiles(inputs);
  const resources = files.flatMap((file) => {
    const template = loadTemplate(file);
    return Object.entries(template.resources).map(([logicalId, resource]) => ({
      file,
      logicalId,
      verdict: isCustomResourceType(resource.Type)
        ? judgeResourceType(resource.Type, classifyServiceToken(resource.Properties?.ServiceToken, template.resources))
        : judgeResourceType(resource.Type),
    }));
  });
  return {
    listDate: ELIGIBILITY_LIST.date,
    source: ELIGIBILITY_LIST.source,
    files,
    resources,
    notEligible: resources.filter((r) => !r.verdict.eligible).length,
  };
}

export function formatCheckText(result: CheckResult): string {
  const lines: string[] = [];
  for (const file of result.files) {
    lines.push(file);
    for (const { logicalId, verdict } of result.resources.filter((r) => r.file === file)) {
      const mark = verdict.eligible ? 'ok ' : 'NOT';
      lines.push(`  ${mark} ${logicalId} ${verdict.type} [${verdict.class}] ${verdict.reason}`);
    }
  }
  lines.push(
    '',
    `${result.resources.length} resources in ${result.files.length} templates; ${result.notEligible} not HIPAA eligible ` +
      `(list dated ${result.listDate}, ${result.source}).`,
  );
  if (result.notEligible > 0) {
    lines.push(
      'Remove each NOT resource, or (for resources that never store, process or transmit PHI) record a reviewed, ' +
        'expiring exception in lib/compliance/exception-register.ts.',
    );
  }
  return lines.join('\n');
}
