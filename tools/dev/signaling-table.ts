/**
 * The signaling table as the local harness creates it: the same key schema, indexes (none) and TTL attribute as the
 * Signaling stack's table (test/signaling/local-table-definition.test.ts compares both with the synthesized
 * template), so code that works here meets the same table in AWS.
 */
import {
  CreateTableCommand,
  type CreateTableCommandInput,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import { TABLE_SCHEMA } from '../../lib/signaling/connection-store';

export function signalingTableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: TABLE_SCHEMA.partitionKey, AttributeType: 'S' },
      { AttributeName: TABLE_SCHEMA.sortKey, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: TABLE_SCHEMA.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE_SCHEMA.sortKey, KeyType: 'RANGE' },
    ],
  };
}

/** Creates the table, waits until it is ACTIVE, and turns on TTL on the same attribute as the stack. */
export async function createSignalingTable(client: DynamoDBClient, tableName: string): Promise<void> {
  await client.send(new CreateTableCommand(signalingTableDefinition(tableName)));
  // CreateTable answers CREATING; a write before ACTIVE fails with ResourceNotFoundException. The SDK's waiter polls.
  await waitUntilTableExists({ client, maxWaitTime: 20, minDelay: 0.01, maxDelay: 0.1 }, { TableName: tableName });
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE_SCHEMA.timeToLiveAttribute, Enabled: true },
    }),
  );
}
