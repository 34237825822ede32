/**
 * One DynamoDB client per function instance, shared by the room store and the rate counter so a warm instance keeps
 * one pool of kept-alive connections to DynamoDB instead of two.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { once } from './compose';

export const tableClient = once(() => new DynamoDBClient({}));
