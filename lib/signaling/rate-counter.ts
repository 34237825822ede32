/**
 * The rate-limit counts in the signaling table: one small item per subject (a connection or a user), action and
 * window,
 *
 *   pk = "L#C#<connectionId>"  sk = "<action>#<window>"  hits, ttl     (a connection's count)
 *   pk = "L#U#<sub>"           sk = "<action>#<window>"  hits, ttl     (a user's count, across their connections)
 *
 * and one atomic increment per request (`ADD hits 1`, returning the new count), so concurrent requests on any
 * number of Lambda instances each see a distinct count and exactly `limit` of them are admitted, with one round trip
 * and no read. Refused requests are counted too, which costs nothing: a count only lives for its window, and a new
 * window is a new item, so nothing is ever reset. (An unconditional ADD is also cheaper than a conditional one: no
 * condition to evaluate and no ConditionalCheckFailed error to build and parse on every refusal.)
 *
 * Both kinds stay under one leading-key prefix (`L#`, apart from the connection's `C#` and the grant's `G#`) so the
 * ice-servers function can be allowed to write counters and nothing else. The scope letter after it keeps the two
 * apart: a connection id and a sub can never produce the same partition key, whatever characters they hold.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateCounter, RateCounterKey, RateScope } from './rate-limit';

/** The leading-key prefix of counter items, which IAM policies can name. */
export const RATE_COUNTER_KEY_PREFIX = 'L#';

/** The scope's tag after `L#`: same length, different first letter, so a pk's third character fixes its scope. */
const SCOPE_TAG: Readonly<Record<RateScope, string>> = { connection: 'C#', user: 'U#' };

export function rateCounterItemKey(key: RateCounterKey): { pk: string; sk: string } {
  const { scope, id } = key.subject;
  return { pk: `${RATE_COUNTER_KEY_PREFIX}${SCOPE_TAG[scope]}${id}`, sk: `${key.action}#${key.window}` };
}

export interface DynamoRateCounterOptions {
  readonly tableName: string;
  /** @default a client from the Lambda environment */
  readonly client?: DynamoDBClient;
}

export class DynamoRateCounter implements RateCounter {
  private readonly doc: DynamoDBDocumentClient;
  private readonly tableName: string;

  constructor(options: DynamoRateCounterOptions) {
    this.tableName = options.tableName;
    this.doc = DynamoDBDocumentClient.from(options.client ?? new DynamoDBClient({}));
  }

  async hit(key: RateCounterKey, limit: number, expiresAt: number): Promise<boolean> {
    const { Attributes } = await this.doc.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: rateCounterItemKey(key),
        UpdateExpression: 'ADD hits :one SET #ttl = :ttl',
        ExpressionAttributeNames: { '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':ttl': expiresAt },
        ReturnValues: 'UPDATED_NEW',
      }),
    );
    const hits = Attributes?.hits;
    // Fail closed on an answer without the count, which would mean the table is not the one this code expects.
    if (typeof hits !== 'number') throw new Error('rate counter update returned no hits count');
    return hits <= limit;
  }
}
