/** In-memory fakes for unit tests of the room logic and routes. */
export { MemoryConnectionStore } from '../../tools/dev/memory-connection-store';
export { MemoryRateCounter } from '../../tools/dev/memory-rate-counter';
import type { DeliveryResult, Messenger } from '../../lib/signaling/delivery';
import type { LogFields, SafeLog } from '../../lib/signaling/log';
import type { ServerMessage } from '../../lib/signaling/messages';

export class RecordingMessenger implements Messenger {
  readonly sent: { to: string; message: ServerMessage }[] = [];
  readonly gone = new Set<string>();
  async send(to: string, message: ServerMessage): Promise<DeliveryResult> {
    if (this.gone.has(to)) return 'gone';
    this.sent.push({ to, message });
    return 'sent';
  }
  to(connectionId: string): ServerMessage[] {
    return this.sent.filter((entry) => entry.to === connectionId).map((entry) => entry.message);
  }
}

export class CapturingLog implements SafeLog {
  readonly lines: { level: string; event: string; fields?: LogFields }[] = [];
  info(event: string, fields?: LogFields) {
    this.lines.push({ level: 'info', event, fields });
  }
  warn(event: string, fields?: LogFields) {
    this.lines.push({ level: 'warn', event, fields });
  }
  error(event: string, fields?: LogFields) {
    this.lines.push({ level: 'error', event, fields });
  }
  text(): string {
    return JSON.stringify(this.lines);
  }
}
