/** jest globalTeardown: stops the run's shared DynamoDB Local (test/helpers/dynamodb-local-setup.ts). */
export default async function teardown(): Promise<void> {
  await globalThis.hipaaRtcDynamoDbLocal?.stop();
}
