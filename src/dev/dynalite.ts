/**
 * An in-memory DynamoDB (dynalite) on 127.0.0.1 with the signaling table, for the harness and integration tests.
 * Credentials are dummies: dynalite accepts any, and nothing here can reach AWS.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, type Server } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient, ListTablesCommand, waitUntilTableExists } from '@aws-sdk/client-dynamodb';
import { TABLE_SCHEMA } from '../../lib/signaling/connection-store';

// dynalite ships no types.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require('dynalite') as (options: {
  createTableMs: number;
  deleteTableMs: number;
  updateTableMs: number;
}) => Server;

export interface LocalDynamo {
  readonly endpoint: string;
  readonly client: DynamoDBClient;
  readonly tableName: string;
  /**
   * CPU time (user + system, ms) dynalite has used, when it runs in its own process on Linux; undefined otherwise
   * (in this process its CPU is part of ours). Lets a benchmark say which side of the socket the time went to.
   */
  cpuMs(): number | undefined;
  stop(): Promise<void>;
}

export interface StartDynaliteOptions {
  /** @default 'hipaa-rtc-signaling-local' */
  readonly tableName?: string;
  /**
   * Run dynalite in a child process, so its CPU does not compete with the code under measurement (benchmarks;
   * in AWS the table is remote too). @default false (in-process, fastest to start)
   */
  readonly separateProcess?: boolean;
  /**
   * The client's HTTP agent: sockets kept alive to dynalite at most. @default the SDK's agent (keep-alive, 50 sockets)
   */
  readonly maxSockets?: number;
}

export async function startDynalite(options: StartDynaliteOptions = {}): Promise<LocalDynamo> {
  const tableName = options.tableName ?? 'hipaa-rtc-signaling-local';
  const local = options.separateProcess ? await startChild() : await startInProcess();
  const endpoint = `http://127.0.0.1:${local.port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    // Fail fast instead of retrying against a local server that is shutting down.
    maxAttempts: 2,
    ...(options.maxSockets
      ? { requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: options.maxSockets }) } }
      : {}),
  });
  if (options.separateProcess) await waitUntilReady(client);
  await client.send(
    new CreateTableCommand({
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
    }),
  );
  // dynalite, like DynamoDB, answers CreateTable with CREATING and turns the table ACTIVE a timer later (even with
  // createTableMs 0); a write in between fails with ResourceNotFoundException (seen as a rare failed first write in
  // the benchmark). The SDK's own waiter polls until ACTIVE, here every few milliseconds, for at most 5 s.
  await waitUntilTableExists({ client, maxWaitTime: 5, minDelay: 0.005, maxDelay: 0.05 }, { TableName: tableName });
  return {
    endpoint,
    client,
    tableName,
    cpuMs: () => local.cpuMs(),
    stop: async () => {
      client.destroy();
      await local.stop();
    },
  };
}

async function startInProcess(): Promise<{ port: number; cpuMs(): number | undefined; stop(): Promise<void> }> {
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    cpuMs: () => undefined,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function startChild(): Promise<{ port: number; cpuMs(): number | undefined; stop(): Promise<void> }> {
  const port = await freeLoopbackPort();
  const cli = require.resolve('dynalite/cli.js');
  const args = [cli, '--host', '127.0.0.1', '--port', String(port), '--createTableMs', '0'];
  const child: ChildProcess = spawn(process.execPath, args, { stdio: 'ignore' });
  // A crashed benchmark or test must not leave dynalite running: the child dies with this process.
  const killChild = () => child.kill('SIGTERM');
  process.once('exit', killChild);
  child.once('exit', () => process.off('exit', killChild));
  return {
    port,
    cpuMs: () => processCpuMs(child.pid),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** utime + stime of a process from /proc (Linux), in ms; undefined where /proc is not available. */
function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the parenthesised command name; utime and stime are the 12th and 13th of them, in clock ticks
    // (100 per second on Linux).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

/** Polls until the child answers, for at most five seconds. */
async function waitUntilReady(client: DynamoDBClient): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      await client.send(new ListTablesCommand({}));
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
