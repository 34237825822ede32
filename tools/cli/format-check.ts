/**
 * Human output of `hipaa-rtc check`: one line per resource with a short reason, a summary per file, the list's date
 * once, and advice that fits who wrote the template (a CDK app of this repository, or a template by hand).
 * `--verbose` adds the full basis of every refusal: reason, condition, dated decision and evidence.
 */
import type { CheckResult, FileResult, ResourceResult } from './check';

/** Lines past this width are cut (the full text is in --verbose and --format json). */
const WIDTH = 120;

function mark(resource: ResourceResult): string {
  if (resource.verdict.eligible) return 'ok ';
  return resource.exception ? 'EXC' : 'NOT';
}

function cut(line: string): string {
  return line.length <= WIDTH ? line : `${line.slice(0, WIDTH - 1)}…`;
}

function fileSummary(result: FileResult): string {
  if (result.status === 'bad-input') return 'bad input';
  const count = result.resources.length;
  const parts = [`${count} resource${count === 1 ? '' : 's'}`];
  if (result.notEligible > 0) parts.push(`${result.notEligible} not eligible`);
  if (result.excepted > 0) parts.push(`${result.excepted} excepted`);
  if (result.transforms.length > 0) parts.push(`expanded: ${result.transforms.join(', ')}`);
  return parts.join(', ');
}

function resourceLines(result: FileResult, verbose: boolean): string[] {
  const shownId = (r: ResourceResult) => (r.nestedIn ? `${r.nestedIn}/${r.logicalId}` : r.logicalId);
  const idWidth = Math.min(32, Math.max(8, ...result.resources.map((r) => shownId(r).length)));
  const typeWidth = Math.min(40, Math.max(8, ...result.resources.map((r) => r.verdict.type.length)));
  const lines: string[] = [];
  for (const resource of result.resources) {
    const { verdict } = resource;
    const reason = verdict.eligible && !verbose ? '' : `  ${resource.exception ? 'excepted: ' : ''}${verdict.summary}`;
    lines.push(
      cut(
        `  ${mark(resource)} ${shownId(resource).padEnd(idWidth)} ${verdict.type.padEnd(typeWidth)}${reason}`.trimEnd(),
      ),
    );
    if (!verbose) continue;
    if (resource.origin) lines.push(`        from:      ${resource.origin}`);
    if (resource.file !== result.file) lines.push(`        in:        ${resource.file}`);
    if (!verdict.eligible) {
      lines.push(`        class:     ${verdict.class}`, `        reason:    ${verdict.reason}`);
      if (verdict.condition) lines.push(`        condition: ${verdict.condition}`);
      if (verdict.decided) lines.push(`        decided:   ${verdict.decided.on}: ${verdict.decided.evidence}`);
    }
    if (resource.exception) {
      const e = resource.exception;
      lines.push(`        exception: owner ${e.owner}, expires ${e.expires}, ${e.safeguard}: ${e.reason}`);
    }
    if (resource.exceptionProblems) {
      lines.push(`        exception not honoured: ${resource.exceptionProblems.join('; ')}`);
    }
  }
  for (const finding of result.findings) {
    lines.push(cut(`  ${finding.blocking ? 'NOT' : 'note'} ${finding.message}`));
  }
  return lines;
}

function advice(result: CheckResult): string[] {
  const failing = result.results.filter((r) => r.status === 'not-eligible');
  if (failing.length === 0) return [];
  const lines: string[] = [];
  if (failing.some((r) => r.origin === 'cdk')) {
    lines.push(
      'CDK app: remove or replace each NOT resource. If one never stores, processes or transmits PHI, record a',
      '  reviewed, expiring exception in the exception register (hipaa-rtc: lib/compliance/exception-register.ts).',
    );
  }
  if (failing.some((r) => r.origin === 'template')) {
    lines.push(
      'Template: remove each NOT resource or replace it with a HIPAA-eligible service (or, for RDS, an engine the',
      '  list names). `hipaa-rtc explain <type>` shows the basis and any condition.',
    );
  }
  return lines;
}

export function formatCheckText(result: CheckResult, verbose = false): string {
  const lines: string[] = [];
  for (const skipped of result.skipped) lines.push(`skipped ${skipped.file}: not a template (${skipped.reason})`);
  if (result.skipped.length > 0) lines.push('');
  for (const file of result.results) {
    if (file.status === 'bad-input') {
      const line = file.error?.line ? `:${file.error.line}` : '';
      const message = (file.error?.message ?? '').replace(`${file.file}${line}: `, '');
      lines.push(`${file.file}${line}: bad input: ${message}`);
      continue;
    }
    lines.push(`${file.file}: ${fileSummary(file)}`, ...resourceLines(file, verbose));
  }
  const templates = result.results.length;
  lines.push(
    '',
    `${templates} template${templates === 1 ? '' : 's'}, ${result.resources.length} resources: ` +
      `${result.notEligible} not eligible, ${result.excepted} excepted, ` +
      `${result.badFiles} bad file${result.badFiles === 1 ? '' : 's'}.`,
    `Judged against the HIPAA-eligible services list dated ${result.listDate}:`,
    `  ${result.source}`,
  );
  if (result.excepted > 0) {
    lines.push(
      'EXC: not eligible, passed by a reviewed, expiring register entry in the template metadata',
      '  (the deploy-time Guard Hook does not read metadata).',
    );
  }
  lines.push(...advice(result));
  if (!verbose && result.notEligible > 0) lines.push('Run with --verbose for the full basis of each verdict.');
  return lines.join('\n');
}
