/** The Lambda entry module itself (what NodejsFunction bundles): it imports cleanly and reads settings lazily. */
import '../signaling/silence-powertools';
import { handler } from '../../lambda/relay/rotate-turn-secret';

test('without its settings, every invocation fails closed naming the variable; nothing is called', async () => {
  delete process.env.TURN_SECRET_ARN;
  await expect(handler({ action: 'advance' })).rejects.toThrow(/misconfigured.*TURN_SECRET_ARN must be/);
});

test('with settings, an event it does not know is refused before any AWS call', async () => {
  process.env.TURN_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:111111111111:secret:turn-AbCdEf';
  process.env.MAX_CREDENTIAL_TTL_SECONDS = '3600';
  process.env.CLOCK_SKEW_SECONDS = '300';
  process.env.RELAY_PICKUP_SECONDS = '1800';
  await expect(handler({ action: 'rotate-now' })).rejects.toThrow(/unrecognised event/);
});
