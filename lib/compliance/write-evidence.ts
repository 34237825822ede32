import type { HipaaRtcApp } from '../hipaa-rtc-app';
import { writeExceptionReport } from './exception-report';
import {
  buildComplianceReport,
  readStackTemplates,
  writeComplianceReport,
  type NagFinding,
} from './report/compliance-report';
import { eligibilityScp } from './scp/account-scp';
import { writeScp } from './scp/write-scp';

/**
 * Writes what a reviewer reads into the assembly directory after a synth attempt (also a failed one, since the
 * templates are written before validation): the exception register, the compliance report and the SCP.
 */
export function writeEvidence(outdir: string, built: HipaaRtcApp, generatedOn: Date): string[] {
  const validationRan = built.packs.length > 0 && built.packs.every((p) => p.lastReport !== undefined);
  const findings: NagFinding[] = built.packs.flatMap((plugin) =>
    (plugin.lastReport?.violations ?? []).flatMap((violation) =>
      violation.violatingResources.map((resource) => ({
        pack: plugin.name,
        ruleId: violation.ruleName,
        path: resource.constructPath ?? resource.resourceLogicalId ?? '(unknown)',
        severity: violation.severity ?? 'error',
      })),
    ),
  );
  const report = buildComplianceReport({
    generatedOn,
    stacks: readStackTemplates(
      outdir,
      built.stacks.map((stack) => ({
        stackId: stack.node.id,
        stackName: stack.stackName,
        templateFile: stack.templateFile,
        region: stack.region,
        account: stack.account,
      })),
    ),
    exceptions: built.exceptions,
    packs: built.packs.map((p) => p.name),
    findings,
    validationRan,
  });
  return [
    ...writeExceptionReport(outdir, built.exceptions, generatedOn),
    ...writeComplianceReport(outdir, report),
    writeScp(outdir, eligibilityScp()),
  ];
}
