/**
 * A fresh signaling table on DynamoDB Local, for one harness, test file or benchmark run.
 *
 * JVM start-up (3-10 s here) is paid once where possible: under jest, the global setup
 * (test/helpers/dynamodb-local-setup.ts) starts one DynamoDB Local for the whole run and names it in
 * SHARED_DYNAMODB_LOCAL_VARIABLE, and each caller gets its own uniquely named table on it. Elsewhere (npm run dev,
 * the demo, the benchmarks) a caller starts its own instance, or passes one to share between tables.
 */
import { randomBytes } from 'node:crypto';
import { DeleteTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { localDynamoClient, startDynamoDbLocal, waitUntilAnswering, type DynamoDbLocal } from './dynamodb-local';
import { createSignalingTable } from './signaling-table';

/** Set by the jest global setup: the endpoint of the run's shared DynamoDB Local (http://127.0.0.1:<port>). */
export const SHARED_DYNAMODB_LOCAL_VARIABLE = 'HIPAA_RTC_DYNAMODB_LOCAL_ENDPOINT';

export interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /**
   * CPU time (ms) DynamoDB Local's JVM has used, when this table's caller started it; undefined for a shared one
   * (other callers' work would be in it). Lets a benchmark say which side of the socket the time went to.
   */
  cpuMs(): number | undefined;
  /** Deletes the table and, when this call started DynamoDB Local, stops it. */
  stop(): Promise<void>;
}

export interface OpenLocalTableOptions {
  /** @default a unique `signaling-<random>` name */
  readonly tableName?: string;
  /** A running DynamoDB Local to put the table on (not stopped by stop()). @default the shared one, else a new one */
  readonly server?: DynamoDbLocal;
  /** Sockets kept alive to DynamoDB Local at most. @default the SDK's agent (keep-alive, 50 sockets) */
  readonly maxSockets?: number;
  /** JVM tuning when a new instance is started (see startDynamoDbLocal). @default 'start-fast' */
  readonly jvm?: 'start-fast' | 'throughput';
}

export async function openLocalTable(options: OpenLocalTableOptions = {}): Promise<LocalDynamo> {
  const tableName = options.tableName ?? `signaling-${randomBytes(6).toString('hex')}`;
  const shared = process.env[SHARED_DYNAMODB_LOCAL_VARIABLE];
  let owned: DynamoDbLocal | undefined;
  let endpoint: string;
  if (options.server) {
    endpoint = options.server.endpoint;
  } else if (shared) {
    if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(shared)) {
      throw new Error(`${SHARED_DYNAMODB_LOCAL_VARIABLE} must be http://127.0.0.1:<port>, not ${shared}`);
    }
    endpoint = shared;
    // The global setup does not wait for the JVM, so the first table of a run waits here.
    await waitUntilAnswering(endpoint, undefined, 60_000);
  } else {
    owned = await startDynamoDbLocal({ jvm: options.jvm });
    endpoint = owned.endpoint;
  }
  const client = localDynamoClient(endpoint, { maxSockets: options.maxSockets });
  try {
    await createSignalingTable(client, tableName);
  } catch (error) {
    client.destroy();
    await owned?.stop();
    throw error;
  }
  return {
    endpoint,
    client,
    tableName,
    cpuMs: () => owned?.cpuMs(),
    stop: async () => {
      // On a shared instance the table goes, so a long run does not keep every test's items in the JVM's heap.
      if (!owned) await client.send(new DeleteTableCommand({ TableName: tableName })).catch(() => undefined);
      client.destroy();
      await owned?.stop();
    },
  };
}
