import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnSync } from 'node:child_process';
import { parseArgs } from 'node:util';
import { median } from './measure';

/** The variants, measured through the same pinned CLI in the same run, interleaved round by round. */
export const SYNTH_VARIANTS = ['floor', 'full', 'gatesOff', 'warm', 'schemaValidator', 'twoRegions'] as const;
export type SynthVariant = (typeof SYNTH_VARIANTS)[number];

export interface SynthBenchResult {
  readonly runs: number;
  /** Wall times in seconds, one per round. */
  readonly times: Readonly<Record<SynthVariant, number[]>>;
  /** CPU seconds (user + system) of the synth's whole process tree, one per round; empty where not measurable. */
  readonly cpu: Readonly<Record<SynthVariant, number[]>>;
}

/**
 * CPU seconds the process's waited-for children have used so far (Linux /proc/self/stat cutime + cstime): the
 * CLI, the app and esbuild, since each waits for its own children. Other load on the machine does not count, so
 * it shows the work a synth does when wall times are noisy. Undefined where /proc is absent.
 */
function childrenCpuSeconds(ticksPerSecond: number): number | undefined {
  try {
    // Fields after the command name (which is in parentheses and may contain spaces); cutime and cstime are 16, 17.
    const fields = fs.readFileSync('/proc/self/stat', 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[13]) + Number(fields[14])) / ticksPerSecond;
  } catch {
    return undefined;
  }
}

/** Runs one synth; wall and CPU seconds. Throws with the CLI's output if it fails. */
function timeSynth(cdk: string, args: readonly string[], opts: { cwd: string; env: NodeJS.ProcessEnv }, hz: number) {
  const cpuBefore = childrenCpuSeconds(hz);
  const start = process.hrtime.bigint();
  const result = spawnSync(cdk, args, { ...opts, encoding: 'utf8', timeout: 300_000 });
  const wall = Number(process.hrtime.bigint() - start) / 1e9;
  if (result.status !== 0) throw new Error(`cdk ${args.join(' ')} exited ${result.status}:\n${result.stderr}`);
  const cpuAfter = childrenCpuSeconds(hz);
  return { wall, cpu: cpuBefore === undefined || cpuAfter === undefined ? undefined : cpuAfter - cpuBefore };
}

/** Goals of issue 14, as ratios of a median to the floor's median. */
export const SYNTH_GOALS: Readonly<Partial<Record<SynthVariant, number>>> = { full: 2.5, warm: 2.0 };

/**
 * `cdk synth -q` wall times through node_modules/.bin/cdk:
 *   - floor: a one-bucket app with this app's App options (scripts/bench/floor-app.js);
 *   - full: `cdk synth` as shipped (cdk.json's app, every gate), into a fresh output directory, so every Lambda
 *     function is bundled;
 *   - gatesOff: the same app without the cdk-nag plugins (scripts/bench/bench-app.ts), fresh output directory;
 *   - warm: `cdk synth` as shipped into the output directory of the previous warm run, nothing changed: the bundles
 *     are reused and esbuild does not run;
 *   - schemaValidator: full plus aws-cdk-lib's built-in CloudFormation schema validator (the test suite runs it);
 *   - twoRegions: full for config/example-two-regions.ts (two relay regions: two more stacks, every gate on them).
 * Rounds run the variants one after the other, so load from other processes spreads over all of them alike.
 */
export function benchSynth(root: string, runs: number): SynthBenchResult {
  const cdk = path.join(root, 'node_modules', '.bin', 'cdk');
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'hipaa-rtc-bench-'));
  const env = { ...process.env, CDK_HOME: path.join(scratch, '.cdk-home') };
  const opts = { cwd: root, env };
  let counter = 0;
  const fresh = () => path.join(scratch, `out-${counter++}`);
  const warmDir = path.join(scratch, 'warm');
  const app = (file: string, ...flags: string[]) => [
    '--app',
    [file.endsWith('.js') ? 'node' : 'node -r ./bin/register-typescript.js', file, ...flags].join(' '),
  ];
  const args: Record<SynthVariant, () => string[]> = {
    floor: () => ['synth', '-q', ...app('scripts/bench/floor-app.js'), '-o', fresh()],
    full: () => ['synth', '-q', '-o', fresh()],
    gatesOff: () => ['synth', '-q', ...app('scripts/bench/bench-app.ts', 'gates-off'), '-o', fresh()],
    warm: () => ['synth', '-q', '-o', warmDir],
    schemaValidator: () => ['synth', '-q', ...app('scripts/bench/bench-app.ts', 'schema-validator'), '-o', fresh()],
    twoRegions: () => ['synth', '-q', '-c', 'config=example-two-regions', '-o', fresh()],
  };
  const empty = () =>
    Object.fromEntries(SYNTH_VARIANTS.map((v) => [v, [] as number[]])) as Record<SynthVariant, number[]>;
  const times = empty();
  const cpu = empty();
  const hz = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout) || 100;
  try {
    // Warm-up: fills the TypeScript transpile cache and gives the warm variant its previous assembly.
    timeSynth(cdk, args.warm(), opts, hz);
    for (let round = 0; round < runs; round++) {
      for (const variant of SYNTH_VARIANTS) {
        const measured = timeSynth(cdk, args[variant](), opts, hz);
        times[variant].push(measured.wall);
        if (measured.cpu !== undefined) cpu[variant].push(measured.cpu);
      }
    }
    return { runs, times, cpu };
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}

/** Median of each variant and its ratio to the floor's median. */
export function synthRatios(result: SynthBenchResult): Record<SynthVariant, { median: number; ratio: number }> {
  const floor = median(result.times.floor);
  return Object.fromEntries(
    SYNTH_VARIANTS.map((v) => [v, { median: median(result.times[v]), ratio: median(result.times[v]) / floor }]),
  ) as Record<SynthVariant, { median: number; ratio: number }>;
}

const LABELS: Record<SynthVariant, string> = {
  floor: 'floor: one-bucket app, same App options (`scripts/bench/floor-app.js`)',
  full: 'full: `npx cdk synth` as shipped, every gate on, fresh output directory (bundles every function)',
  gatesOff: 'gates off: same app, no cdk-nag plugins, fresh output directory',
  warm: 'warm: `npx cdk synth` into the previous output directory, nothing changed (bundles reused, no esbuild)',
  schemaValidator: "full + aws-cdk-lib's built-in CloudFormation schema validator (run by the test suite)",
  twoRegions: 'two relay regions: `npx cdk synth -c config=example-two-regions`, every gate on, fresh output directory',
};

export function synthMarkdown(result: SynthBenchResult): string {
  const ratios = synthRatios(result);
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(2)).join(', ');
  const goal = (v: SynthVariant) => {
    const limit = SYNTH_GOALS[v];
    if (limit === undefined) return '';
    return `≤ ${limit.toFixed(1)}× (${ratios[v].ratio <= limit ? 'met' : 'not met'})`;
  };
  const cpuFloor = median(result.cpu.floor);
  const cpuCell = (v: SynthVariant) =>
    result.cpu[v].length > 0
      ? `${median(result.cpu[v]).toFixed(2)} (${(median(result.cpu[v]) / cpuFloor).toFixed(2)}×)`
      : 'n/a';
  return [
    '## Full-app `cdk synth`',
    '',
    `Median of ${result.runs} runs of each variant through the pinned CLI (\`node_modules/.bin/cdk synth -q\`), measured in one run: rounds run every variant in turn, after one warm-up synth.`,
    '',
    '| variant | median (s) | × floor | goal | runs (s) | CPU median (s, × floor) |',
    '|---|---|---|---|---|---|',
    ...SYNTH_VARIANTS.map(
      (v) =>
        `| ${LABELS[v]} | ${ratios[v].median.toFixed(2)} | ${ratios[v].ratio.toFixed(2)} | ${goal(v)} | ${fmt(result.times[v])} | ${cpuCell(v)} |`,
    ),
    '',
    `Gates cost ${(ratios.full.median / ratios.gatesOff.median).toFixed(2)}× the ungated synth. CPU is user + system time of the synth's whole process tree (CLI, app, esbuild), which load from other processes does not inflate the way it inflates wall time.`,
    '',
  ].join('\n');
}

// `npx tsx scripts/bench/synth-bench.ts [--runs N]`: this section alone, printed (npm run bench runs it with the rest).
if (require.main === module) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  console.log(synthMarkdown(benchSynth(path.resolve(__dirname, '..', '..'), Number(values.runs))));
}
