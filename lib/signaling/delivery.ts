/**
 * Delivery to connected peers. In AWS this is the API Gateway Management API (`@connections`); the local harness
 * has its own Messenger writing to sockets. Both report a vanished peer as `gone` (HTTP 410), and callers then
 * remove the stale connection: `$disconnect` is best-effort and cannot be relied on for cleanup.
 */
import {
  ApiGatewayManagementApiClient,
  GoneException,
  PostToConnectionCommand,
} from '@aws-sdk/client-apigatewaymanagementapi';
import type { ServerMessage } from './messages';

export type DeliveryResult = 'sent' | 'gone';

export interface Messenger {
  send(connectionId: string, message: ServerMessage): Promise<DeliveryResult>;
}

export class ApiGatewayMessenger implements Messenger {
  private readonly client: ApiGatewayManagementApiClient;

  /** @param endpoint the stage's callback URL, `https://<api-id>.execute-api.<region>.amazonaws.com/<stage>` */
  constructor(endpoint: string, client?: ApiGatewayManagementApiClient) {
    this.client = client ?? new ApiGatewayManagementApiClient({ endpoint });
  }

  async send(connectionId: string, message: ServerMessage): Promise<DeliveryResult> {
    try {
      await this.client.send(
        new PostToConnectionCommand({ ConnectionId: connectionId, Data: Buffer.from(JSON.stringify(message)) }),
      );
      return 'sent';
    } catch (error) {
      if (
        error instanceof GoneException ||
        (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 410
      ) {
        return 'gone';
      }
      throw error;
    }
  }
}
