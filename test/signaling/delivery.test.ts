import { GoneException, PostToConnectionCommand } from '@aws-sdk/client-apigatewaymanagementapi';
import { ApiGatewayMessenger } from '../../lib/signaling/delivery';

describe('ApiGatewayMessenger', () => {
  test('posts the JSON message to the connection', async () => {
    const send = jest.fn().mockResolvedValue({});
    const messenger = new ApiGatewayMessenger('https://abc.execute-api.us-east-1.amazonaws.com/prod', {
      send,
    } as never);
    expect(
      await messenger.send('conn-1', { type: 'peer-left', roomId: 'room-0123456789', connectionId: 'conn-2' }),
    ).toBe('sent');
    const command = send.mock.calls[0][0] as PostToConnectionCommand;
    expect(command.input.ConnectionId).toBe('conn-1');
    expect(JSON.parse(Buffer.from(command.input.Data as Uint8Array).toString())).toMatchObject({ type: 'peer-left' });
  });

  test('410 Gone is reported as gone (the caller evicts the connection)', async () => {
    const gone = new GoneException({ message: 'gone', $metadata: { httpStatusCode: 410 } });
    const messenger = new ApiGatewayMessenger('https://x', { send: jest.fn().mockRejectedValue(gone) } as never);
    expect(await messenger.send('conn-1', { type: 'peer-left', roomId: 'room-0123456789', connectionId: 'c' })).toBe(
      'gone',
    );
  });

  test('other failures propagate', async () => {
    const messenger = new ApiGatewayMessenger('https://x', {
      send: jest.fn().mockRejectedValue(new Error('throttled')),
    } as never);
    await expect(
      messenger.send('conn-1', { type: 'peer-left', roomId: 'room-0123456789', connectionId: 'c' }),
    ).rejects.toThrow('throttled');
  });
});
