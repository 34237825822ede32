/**
 * The rate-limit count in the signaling table: one small item per connection, action and window,
 *
 *   pk = "L#<connectionId>"  sk = "<action>#<window>"  hits, ttl
 *
 * and one conditional increment per request (`ADD hits 1` only while `hits < limit`), so concurrent requests on
 * any number of Lambda instances are counted exactly, with one round trip and no read. A new window is a new item,
 * so nothing ever has to be reset. Items are keyed apart from the connection (`L#`, not `C#`) so the ice-servers
 * function can be allowed to write counters and nothing else.
 */
import { ConditionalCheckFailedException, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateCounter, RateCounterKey } from './rate-limit';

/** The leading-key prefix of counter items, which IAM policies can name. */
export const RATE_COUNTER_KEY_PREFIX = 'L#';

export function rateCounterItemKey(key: RateCounterKey): { pk: string; sk: string } {
  return { pk: `${RATE_COUNTER_KEY_PREFIX}${key.connectionId}`, sk: `${key.action}#${key.window}` };
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
    try {
      await this.doc.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: rateCounterItemKey(key),
          UpdateExpression: 'ADD hits :one SET #ttl = if_not_exists(#ttl, :ttl)',
          ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
          ExpressionAttributeNames: { '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':ttl': expiresAt },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
