import { MAX_OUTPUT_BYTES } from '@mm/matching';
import { ClientChannel } from '../../src/ClientChannel.js';

/** A client channel that keeps every byte it would have sent, for byte-exact comparisons. */
export class RecordingChannel extends ClientChannel {
  private readonly parts: Buffer[] = [];

  begin(): number {
    this.ensureRoom(MAX_OUTPUT_BYTES);
    return this.pos;
  }

  end(n: number): void {
    this.pos += n;
  }

  flush(): void {
    if (this.pos === this.start) return;
    this.parts.push(Buffer.from(this.buf.subarray(this.start, this.pos)));
    this.start = this.pos;
  }

  bytes(): Buffer {
    this.flush();
    return Buffer.concat(this.parts);
  }
}
