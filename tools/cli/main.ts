/**
 * The `hipaa-rtc` command. Exit codes: 0 all eligible / success, 1 something is not eligible, 2 bad input.
 */
import { Command, CommanderError } from 'commander';
import { checkTemplates } from './check';
import { formatCheckText } from './format-check';
import { explainType, formatExplainText } from './explain';
import { BadInputError } from './template-files';
import { configNameFrom, turnConfigFor } from './turn-config';

export const EXIT = { ok: 0, notEligible: 1, badInput: 2 } as const;

type Format = 'text' | 'json';

function parseFormat(value: string): Format {
  if (value !== 'text' && value !== 'json') throw new BadInputError(`--format must be text or json, not "${value}"`);
  return value;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
}

/** Runs the CLI and returns the exit code; no process.exit here, so tests can call it directly. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let code: number = EXIT.ok;
  const program = new Command('hipaa-rtc')
    .description('hipaa-rtc: HIPAA-eligibility gate and tools for the hipaa-rtc CDK app')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command('check')
    .description(
      'judge every resource of CloudFormation templates: files, or directories searched for *.json, *.yaml and ' +
        '*.yml templates (a cdk.out directory too); SAM, Fn::ForEach and local nested stacks are expanded',
    )
    .argument('<templates...>', 'template files or directories')
    .option('--format <format>', 'text or json', 'text')
    .option('-v, --verbose', 'print the full basis of every verdict (reason, condition, dated evidence)', false)
    .option(
      '--allow-unjudged-nested',
      'do not fail a template for a nested stack whose template is not a local file (it is still reported)',
      false,
    )
    .action((templates: string[], options: { format: string; verbose: boolean; allowUnjudgedNested: boolean }) => {
      const format = parseFormat(options.format);
      const result = checkTemplates(templates, { allowUnjudgedNested: options.allowUnjudgedNested });
      io.out(
        format === 'json' ? `${JSON.stringify(result, null, 2)}\n` : `${formatCheckText(result, options.verbose)}\n`,
      );
      code = result.exitCode;
    });

  program
    .command('explain')
    .description(
      'explain the verdict for one resource type, e.g. AWS::DirectoryService::SimpleAD, AWS::RDS::DBInstance or ' +
        'Custom::Name; exit 0 only when the type is allowed whatever its properties',
    )
    .argument('<type>', 'a CloudFormation resource type')
    .option('--format <format>', 'text or json', 'text')
    .action((type: string, options: { format: string }) => {
      const format = parseFormat(options.format);
      const explanation = explainType(type);
      io.out(
        format === 'json'
          ? `${JSON.stringify({ ...explanation.verdict, dependsOn: explanation.dependsOn }, null, 2)}\n`
          : `${formatExplainText(explanation)}\n`,
      );
      code = explanation.verdict.eligible && !explanation.dependsOn ? EXIT.ok : EXIT.notEligible;
    });

  program
    .command('turn-config')
    .description('print the turnserver.conf every relay of a deployment runs (boot-time values as placeholders)')
    .option('-c, --context <key=value>', 'select the config, as for cdk synth: -c config=<name>', collect, [])
    .action((options: { context: string[] }) => {
      io.out(turnConfigFor(configNameFrom(options.context)));
    });

  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version exit 0; usage errors are bad input.
      return error.exitCode === 0 ? EXIT.ok : EXIT.badInput;
    }
    if (error instanceof BadInputError) {
      io.err(`hipaa-rtc: ${error.message}\n`);
      return EXIT.badInput;
    }
    throw error;
  }
}
