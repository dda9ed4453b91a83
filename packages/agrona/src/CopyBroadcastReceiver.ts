/**
 * Copies each broadcast message into a scratch buffer and validates it was not overwritten during the copy, so
 * the handler sees a stable message. Throws when the receiver was lapped (messages lost) — for an Aeron client
 * that means driver responses were lost and the client cannot trust its state.
 */
import { AtomicBuffer } from './AtomicBuffer.js';
import { BroadcastReceiver } from './BroadcastReceiver.js';
import type { MessageHandler } from './ManyToOneRingBuffer.js';

export class BroadcastLappedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BroadcastLappedError';
  }
}

export class CopyBroadcastReceiver {
  readonly receiver: BroadcastReceiver;
  private readonly scratch: AtomicBuffer;

  constructor(receiver: BroadcastReceiver, scratchLength = Math.max(4096, receiver.capacity >> 3)) {
    this.receiver = receiver;
    this.scratch = AtomicBuffer.allocate(scratchLength);
  }

  /** Delivers at most one message; returns the number delivered (0 or 1). */
  receive(handler: MessageHandler): number {
    const receiver = this.receiver;
    const lastSeenLappedCount = receiver.lappedCount;
    if (!receiver.receiveNext()) return 0;
    if (lastSeenLappedCount !== receiver.lappedCount) {
      throw new BroadcastLappedError('unable to keep up with broadcast (lapped by the transmitter; messages lost)');
    }
    const length = receiver.length();
    if (length > this.scratch.capacity) {
      throw new RangeError(`broadcast message of ${length} bytes exceeds the ${this.scratch.capacity}-byte scratch buffer`);
    }
    const msgTypeId = receiver.typeId();
    this.scratch.putBuffer(0, receiver.buffer, receiver.offset(), length);
    if (!receiver.validate()) {
      throw new BroadcastLappedError('unable to keep up with broadcast (record overwritten while copying)');
    }
    handler(msgTypeId, this.scratch, 0, length);
    return 1;
  }
}
