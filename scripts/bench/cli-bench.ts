/**
 * Speed of `hipaa-rtc check` over many templates: one run of the real binary (as `npx hipaa-rtc` starts it, through
 * tsx) over a directory of 300 generated templates of about 7 resources each, mixed as real repositories are: plain
 * YAML and JSON, SAM functions with events, Fn::ForEach loops and RDS stacks judged by engine. The target is under
 * 3 s on this machine (issue 13). Standalone: `npm run bench:cli` (or `npx tsx scripts/bench/cli-bench.ts --runs 5`);
 * `npm run bench` includes it in docs/benchmarks.md.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { machineDescription, median, timeCommand } from './measure';

export const TEMPLATES = 300;
export const TARGET_SECONDS = 3;

export interface CliBenchResult {
  readonly templates: number;
  readonly resources: number;
  readonly runs: number;
  readonly secondsMedian: number;
  readonly secondsMin: number;
  readonly secondsMax: number;
  /** The same binary on one small template: process start-up and loading, the floor under any run. */
  readonly startupSecondsMedian: number;
}

const PLAIN_YAML = (i: number) => `AWSTemplateFormatVersion: '2010-09-09'
Description: plain template ${i}
Resources:
  Key:
    Type: AWS::KMS::Key
    Properties: { EnableKeyRotation: true }
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault: { SSEAlgorithm: aws:kms, KMSMasterKeyID: !GetAtt Key.Arn }
  Queue: { Type: AWS::SQS::Queue }
  Topic: { Type: AWS::SNS::Topic }
  Subscription:
    Type: AWS::SNS::Subscription
    Properties: { TopicArn: !Ref Topic, Protocol: sqs, Endpoint: !GetAtt Queue.Arn }
  Role:
    Type: AWS::IAM::Role
    Properties:
      AssumeRolePolicyDocument:
        Statement: [{ Effect: Allow, Principal: { Service: lambda.amazonaws.com }, Action: sts:AssumeRole }]
  Fn:
    Type: AWS::Lambda::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      Role: !GetAtt Role.Arn
      Code: { ZipFile: "exports.handler = async () => ({})" }
`;

const PLAIN_JSON = (i: number) =>
  JSON.stringify(
    {
      Description: `plain JSON template ${i}`,
      Resources: {
        Vpc: { Type: 'AWS::EC2::VPC', Properties: { CidrBlock: '10.0.0.0/16' } },
        SubnetA: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.1.0/24' } },
        SubnetB: { Type: 'AWS::EC2::Subnet', Properties: { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.2.0/24' } },
        Group: { Type: 'AWS::EC2::SecurityGroup', Properties: { GroupDescription: 'g', VpcId: { Ref: 'Vpc' } } },
        Table: {
          Type: 'AWS::DynamoDB::Table',
          Properties: {
            BillingMode: 'PAY_PER_REQUEST',
            AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
            KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
          },
        },
        Logs: { Type: 'AWS::Logs::LogGroup', Properties: { RetentionInDays: 365 } },
        Alarm: { Type: 'AWS::CloudWatch::Alarm', Properties: { MetricName: 'Errors', Threshold: 1 } },
      },
    },
    null,
    2,
  );

const SAM = (i: number) => `Transform: AWS::Serverless-2016-10-31
Description: SAM template ${i}
Resources:
  Handler:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      CodeUri: src/
      Events:
        Get: { Type: Api, Properties: { Path: /items, Method: get } }
        Queue: { Type: SQS, Properties: { Queue: !GetAtt Jobs.Arn } }
  Jobs: { Type: AWS::SQS::Queue }
`;

const FOR_EACH = (i: number) => `Transform: AWS::LanguageExtensions
Description: language extensions template ${i}
Resources:
  Fn::ForEach::Tables:
    - Name
    - [Patients, Visits, Notes, Orders, Results, Claims, Devices]
    - Table\${Name}:
        Type: AWS::DynamoDB::Table
        Properties:
          TableName: !Sub 'app-${i}-\${Name}'
          BillingMode: PAY_PER_REQUEST
          AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }]
          KeySchema: [{ AttributeName: pk, KeyType: HASH }]
`;

const RDS = (i: number) => `Description: RDS template ${i}
Parameters:
  Engine: { Type: String, AllowedValues: [postgres, mysql], Default: postgres }
Resources:
  Subnets:
    Type: AWS::RDS::DBSubnetGroup
    Properties: { DBSubnetGroupDescription: db, SubnetIds: [a, b] }
  Params:
    Type: AWS::RDS::DBParameterGroup
    Properties: { Description: p, Family: postgres16 }
  Db:
    Type: AWS::RDS::DBInstance
    Properties: { Engine: !Ref Engine, DBInstanceClass: db.m5.large, DBSubnetGroupName: !Ref Subnets }
  Cluster:
    Type: AWS::RDS::DBCluster
    Properties: { Engine: aurora-postgresql }
  Writer:
    Type: AWS::RDS::DBInstance
    Properties: { Engine: aurora-postgresql, DBClusterIdentifier: !Ref Cluster, DBInstanceClass: db.serverless }
  Proxy:
    Type: AWS::RDS::DBProxy
    Properties: { EngineFamily: POSTGRESQL, DBProxyName: p${i}, RoleArn: arn:aws:iam::111111111111:role/r, VpcSubnetIds: [a], Auth: [] }
  Secret: { Type: AWS::SecretsManager::Secret }
`;

const KINDS: ReadonlyArray<[string, (i: number) => string]> = [
  ['yaml', PLAIN_YAML],
  ['json', PLAIN_JSON],
  ['yaml', SAM],
  ['yaml', FOR_EACH],
  ['yaml', RDS],
];

/** Writes the corpus into a fresh directory, in sub-directories as a monorepo would hold them. */
export function writeBenchCorpus(dir: string, count = TEMPLATES): void {
  for (let i = 0; i < count; i++) {
    const [extension, render] = KINDS[i % KINDS.length];
    const file = path.join(dir, `service-${Math.floor(i / 25)}`, `template-${i}.${extension}`);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, render(i));
  }
}

export function benchCli(root: string, runs: number): CliBenchResult {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hipaa-rtc-cli-bench-'));
  try {
    writeBenchCorpus(dir);
    const bin = path.join(root, 'bin', 'hipaa-rtc-cli.js');
    const report = spawnSync(process.execPath, [bin, 'check', dir, '--format', 'json'], {
      encoding: 'utf8',
      maxBuffer: 256 * 1024 * 1024,
    });
    if (report.status !== 0)
      throw new Error(`the bench corpus should be all eligible:\n${report.stdout.slice(0, 2000)}`);
    const parsed = JSON.parse(report.stdout) as { files: string[]; resources: unknown[] };
    if (parsed.files.length !== TEMPLATES) throw new Error(`judged ${parsed.files.length} templates, not ${TEMPLATES}`);
    timeCommand(process.execPath, [bin, 'check', dir], 1, { cwd: root }); // warm-up: file cache, tsx cache
    const times = timeCommand(process.execPath, [bin, 'check', dir], runs, { cwd: root });
    const one = path.join(dir, 'service-0', 'template-0.yaml');
    const startup = timeCommand(process.execPath, [bin, 'check', one], runs, { cwd: root });
    return {
      templates: parsed.files.length,
      resources: parsed.resources.length,
      runs,
      secondsMedian: median(times),
      secondsMin: Math.min(...times),
      secondsMax: Math.max(...times),
      startupSecondsMedian: median(startup),
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function cliMarkdown(result: CliBenchResult): string {
  const verdict = result.secondsMedian < TARGET_SECONDS ? 'under' : '**over**';
  return [
    '## CLI: many templates in one run',
    '',
    `\`hipaa-rtc check <dir>\` over ${result.templates} generated templates (${result.resources} resources after ` +
      'expansion: plain YAML and JSON, SAM functions with events, Fn::ForEach, RDS judged by engine), text output, ' +
      `the real binary as \`npx hipaa-rtc\` starts it; median of ${result.runs} runs after one warm-up. ` +
      `Target: under ${TARGET_SECONDS} s (${verdict}).`,
    '',
    '| measure | seconds |',
    '| --- | --- |',
    `| ${result.templates} templates, median | ${result.secondsMedian.toFixed(2)} |`,
    `| ${result.templates} templates, min / max | ${result.secondsMin.toFixed(2)} / ${result.secondsMax.toFixed(2)} |`,
    `| one template (start-up floor), median | ${result.startupSecondsMedian.toFixed(2)} |`,
    '',
    'Reproduce: `npm run bench:cli` (add `-- --runs 9` for more runs).',
    '',
  ].join('\n');
}

if (require.main === module) {
  const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
  const runs = Number(values.runs);
  if (!Number.isInteger(runs) || runs < 1 || runs > 50) throw new Error('--runs must be an integer from 1 to 50');
  const result = benchCli(path.resolve(__dirname, '..', '..'), runs);
  console.log(`Measured on ${machineDescription()}.\n`);
  console.log(cliMarkdown(result));
}
