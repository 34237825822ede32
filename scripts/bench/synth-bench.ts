import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { median, timeCommand } from './measure';

export interface SynthBenchResult {
  readonly runs: number;
  /** `npx cdk synth` exactly as a user runs it (bin/hipaa-rtc.ts). */
  readonly gatesOn: number[];
  /** The same app with the cdk-nag packs off. */
  readonly gatesOff: number[];
  /** Gates on plus aws-cdk-lib's built-in CloudFormation schema validator (what the test suite runs). */
  readonly gatesOnWithSchemaValidator: number[];
}

/**
 * Full-app `cdk synth` wall time through the pinned CLI, as a user runs it, and variants with the gates off or the
 * schema validator on. Each run writes to a fresh output directory.
 */
export function benchSynth(root: string, runs: number): SynthBenchResult {
  const cdk = path.join(root, 'node_modules', '.bin', 'cdk');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hipaa-rtc-bench-'));
  const env = { ...process.env, CDK_HOME: path.join(scratch, '.cdk-home') };
  const opts = { cwd: root, env };
  let counter = 0;
  const synth = (extra: string[]) => ['synth', '-q', ...extra, '-o', path.join(scratch, `out-${counter++}`)];
  const benchApp = (flag: string) => ['--app', `node --import tsx scripts/bench/bench-app.ts ${flag}`];
  try {
    // One warm-up so tsx's transpile cache does not count against the first measured run.
    timeCommand(cdk, synth([]), 1, opts);
    const gatesOn = timeCommand(cdk, synth([]), runs, opts);
    const gatesOff = timeCommand(cdk, synth(benchApp('gates-off')), runs, opts);
    const gatesOnWithSchemaValidator = timeCommand(cdk, synth(benchApp('schema-validator')), runs, opts);
    return { runs, gatesOn, gatesOff, gatesOnWithSchemaValidator };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

export function synthMarkdown(result: SynthBenchResult): string {
  const on = median(result.gatesOn);
  const off = median(result.gatesOff);
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
  return [
    '## Full-app `cdk synth`',
    '',
    `Median of ${result.runs} runs through the pinned CLI (\`cdk synth -q\`), fresh output directory each run, after one warm-up.`,
    '',
    '| variant | median (s) | runs (s) |',
    '|---|---|---|',
    `| gates on: \`npx cdk synth\` as shipped (cdk-nag HIPAA Security, AwsSolutions, HipaaRtc and HipaaEligibility packs, exception register) | ${on.toFixed(2)} | ${fmt(result.gatesOn)} |`,
    `| gates off: same app, no cdk-nag plugins | ${off.toFixed(2)} | ${fmt(result.gatesOff)} |`,
    `| gates on + aws-cdk-lib's built-in CloudFormation schema validator (run by the test suite, not by \`cdk synth\`) | ${median(result.gatesOnWithSchemaValidator).toFixed(2)} | ${fmt(result.gatesOnWithSchemaValidator)} |`,
    '',
    `Gates cost ${(on / off).toFixed(2)}× the ungated synth (goal: ≤ 8 s with gates, gates ≤ 1.5×).`,
    '',
  ].join('\n');
}
