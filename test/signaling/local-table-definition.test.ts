/**
 * The table the harness creates on DynamoDB Local is the table the Signaling stack deploys: same keys (names, types,
 * roles), same secondary indexes (none), same TTL attribute. Read from both sides: the synthesized template, and
 * what DynamoDB Local itself reports for the table it created (DescribeTable, DescribeTimeToLive).
 */
import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { SignalingStack } from '../../lib/stacks/signaling-stack';
import { openLocalTable, type LocalDynamo } from '../../tools/dev/local-table';
import { newTestApp } from '../helpers/test-app';

jest.setTimeout(60_000);

interface TableShape {
  keys: { name: string; type: string; role: string }[];
  globalIndexes: unknown[];
  localIndexes: unknown[];
  ttlAttribute: string | undefined;
}

function synthesizedTable(): TableShape {
  const app = newTestApp({ 'aws:cdk:bundling-stacks': [] });
  const env = { account: '111111111111', region: 'us-east-1' };
  const deps = new Stack(app, 'Deps', { env });
  const key = new kms.Key(deps, 'Key', { enableKeyRotation: true });
  const stack = new SignalingStack(app, 'Signaling', {
    env,
    settings: {
      deploymentName: 'example',
      relayHostnames: ['relay-1.example.org'],
      throttle: { rateLimit: 50, burstLimit: 100 },
      logRetention: logs.RetentionDays.TWO_YEARS,
    },
    tableKey: key,
    logKey: key,
    turnSecret: new secretsmanager.Secret(deps, 'TurnSecret', { encryptionKey: key }),
    keyAdministrator: new iam.Role(deps, 'KeyAdministrator', { assumedBy: new iam.AccountRootPrincipal() }),
  });
  const tables = Object.values(Template.fromStack(stack).findResources('AWS::DynamoDB::GlobalTable'));
  expect(tables).toHaveLength(1);
  const props = tables[0].Properties as {
    KeySchema: { AttributeName: string; KeyType: string }[];
    AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
    GlobalSecondaryIndexes?: unknown[];
    LocalSecondaryIndexes?: unknown[];
    TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
  };
  return {
    keys: props.KeySchema.map((k) => ({
      name: k.AttributeName,
      role: k.KeyType,
      type: props.AttributeDefinitions.find((a) => a.AttributeName === k.AttributeName)?.AttributeType ?? '?',
    })),
    globalIndexes: props.GlobalSecondaryIndexes ?? [],
    localIndexes: props.LocalSecondaryIndexes ?? [],
    ttlAttribute: props.TimeToLiveSpecification?.Enabled ? props.TimeToLiveSpecification.AttributeName : undefined,
  };
}

async function localTable(dynamo: LocalDynamo): Promise<TableShape> {
  const { Table } = await dynamo.client.send(new DescribeTableCommand({ TableName: dynamo.tableName }));
  const ttl = await dynamo.client.send(new DescribeTimeToLiveCommand({ TableName: dynamo.tableName }));
  return {
    keys: (Table?.KeySchema ?? []).map((k) => ({
      name: k.AttributeName ?? '?',
      role: k.KeyType ?? '?',
      type: Table?.AttributeDefinitions?.find((a) => a.AttributeName === k.AttributeName)?.AttributeType ?? '?',
    })),
    globalIndexes: Table?.GlobalSecondaryIndexes ?? [],
    localIndexes: Table?.LocalSecondaryIndexes ?? [],
    ttlAttribute:
      ttl.TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED' ? ttl.TimeToLiveDescription.AttributeName : undefined,
  };
}

let dynamo: LocalDynamo;
beforeAll(async () => {
  dynamo = await openLocalTable();
});
afterAll(async () => {
  await dynamo?.stop();
});

test('the harness table and the synthesized table agree on keys, indexes and the TTL attribute', async () => {
  const synthesized = synthesizedTable();
  const local = await localTable(dynamo);
  expect(local).toEqual(synthesized);
  // Not vacuous: both have the two string keys and the TTL attribute the store writes.
  expect(synthesized).toEqual({
    keys: [
      { name: 'pk', role: 'HASH', type: 'S' },
      { name: 'sk', role: 'RANGE', type: 'S' },
    ],
    globalIndexes: [],
    localIndexes: [],
    ttlAttribute: 'ttl',
  });
});
