/**
 * jest globalSetup: one DynamoDB Local for the whole run, shared by every worker through an environment variable
 * (workers inherit the parent's environment); each test file or harness creates its own table on it
 * (tools/dev/local-table.ts). The JVM starts in the background: the first test that needs a table waits for it, and
 * runs that need none do not wait at all.
 */
import { assertJavaAvailable, freeLoopbackPort, startDynamoDbLocal } from '../../tools/dev/dynamodb-local';
import { SHARED_DYNAMODB_LOCAL_VARIABLE } from '../../tools/dev/local-table';

declare global {
  var hipaaRtcDynamoDbLocal: { stop(): Promise<void> } | undefined;
}

export default async function setup(): Promise<void> {
  if (process.env[SHARED_DYNAMODB_LOCAL_VARIABLE]) return;
  try {
    assertJavaAvailable();
  } catch {
    // Without Java, share nothing: each test that needs a table then fails with the message naming the package to
    // install (openLocalTable starts its own instance and reports it), and tests that need none still run.
    return;
  }
  const port = await freeLoopbackPort();
  globalThis.hipaaRtcDynamoDbLocal = await startDynamoDbLocal({ port, waitUntilReady: false });
  process.env[SHARED_DYNAMODB_LOCAL_VARIABLE] = `http://127.0.0.1:${port}`;
}
