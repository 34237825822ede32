import * as fs from 'node:fs';
import * as path from 'node:path';
import type { AppliedException } from './apply-exceptions';

export const EXCEPTION_REPORT_BASENAME = 'compliance-exceptions';

/** Renders the exception register as Markdown a reviewer can read without opening the code. */
export function renderExceptionReport(applied: readonly AppliedException[], generatedOn: Date): string {
  const lines = [
    '# hipaa-rtc compliance exceptions',
    '',
    `Generated ${generatedOn.toISOString().slice(0, 10)} by \`cdk synth\`. Each entry suppresses exactly one finding on one resource.`,
    'An expired entry fails synth. Source: `lib/compliance/exception-register.ts`.',
    '',
    `Exceptions: ${applied.length}`,
    '',
  ];
  for (const e of [...applied].sort((a, b) => a.path.localeCompare(b.path) || a.ruleId.localeCompare(b.ruleId))) {
    lines.push(
      `## ${e.ruleId}`,
      '',
      `- Resource: \`${e.path}\` (stack \`${e.stackName}\`, logical ID \`${e.logicalId}\`)`,
      `- Reason: ${e.reason}`,
      `- Compensating control: ${e.compensatingControl}`,
      `- HIPAA safeguard: ${e.safeguard}`,
      `- Owner: ${e.owner}`,
      `- Expires: ${e.expires} (${e.daysUntilExpiry} days left)`,
      '',
    );
  }
  return lines.join('\n');
}

/** Writes `compliance-exceptions.md` and `.json` into the cloud assembly directory. */
export function writeExceptionReport(
  outdir: string,
  applied: readonly AppliedException[],
  generatedOn: Date,
): string[] {
  fs.mkdirSync(outdir, { recursive: true });
  const markdown = path.join(outdir, `${EXCEPTION_REPORT_BASENAME}.md`);
  const json = path.join(outdir, `${EXCEPTION_REPORT_BASENAME}.json`);
  fs.writeFileSync(markdown, renderExceptionReport(applied, generatedOn));
  fs.writeFileSync(
    json,
    `${JSON.stringify({ generatedOn: generatedOn.toISOString(), exceptions: applied }, null, 2)}\n`,
  );
  return [markdown, json];
}
