/**
 * `npm run bench`: measures what docs/benchmarks.md reports and rewrites that file. Figures are measured here,
 * never typed in. Options: --runs N (default 5).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import * as prettier from 'prettier';
import { machineDescription } from './measure';
import { benchCalls, callMarkdown } from './call-bench';
import { benchCli, cliMarkdown } from './cli-bench';
import { benchEligibility, eligibilityMarkdown } from './eligibility-bench';
import { relayMarkdown, signalingMarkdown } from './external-bench';
import { benchSynth, synthMarkdown } from './synth-bench';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error('--runs must be an integer from 1 to 50');

const root = path.resolve(__dirname, '..', '..');
// Formatted with the project's prettier settings so the generated file passes `npm run lint` as written.
void (async () => {
  const sections = [
    synthMarkdown(benchSynth(root, runs)),
    eligibilityMarkdown(benchEligibility(Math.max(runs, 5))),
    cliMarkdown(benchCli(root, Math.max(runs, 5))),
    signalingMarkdown(root),
    relayMarkdown(root),
    callMarkdown([await benchCalls(Math.max(runs, 5), 'udp'), await benchCalls(3, 'tcp'), await benchCalls(3, 'tls')]),
  ];
  const document = [
    '# Benchmarks',
    '',
    `Measured ${new Date().toISOString().slice(0, 10)} by \`npm run bench\` on ${machineDescription()}.`,
    'Wall-clock figures vary by about 10-20% between runs on this class of machine.',
    '',
    ...sections,
  ].join('\n');
  const target = path.join(root, 'docs', 'benchmarks.md');
  const options = (await prettier.resolveConfig(target)) ?? {};
  const formatted = await prettier.format(document, { ...options, filepath: target });
  fs.writeFileSync(target, formatted);
  console.log(formatted);
})();
