/**
 * One TCP client's input whose output may not have been checked yet: messages submitted to the matcher whose answers
 * have not been handed to the client's socket and compared with the output limits. In single-threaded mode that is
 * what was handled since the last flush; in threaded mode also what the workers have not answered yet.
 *
 * The matcher numbers every message it is given (`submitted`) and answers in that order (`completed`). A mark
 * records, at the end of a read and at every pause check, the matcher's count and the client's own count; once the
 * matcher's output up to a mark's count has been checked, the client's messages up to that mark have been too.
 * Marks live in a small preallocated ring; when it is full the newest mark is moved forward instead, which only makes
 * the answer more conservative.
 */
export class UncheckedInput {
  private readonly seqs: Float64Array;
  private readonly counts: Float64Array;
  private readonly mask: number;
  private head = 0;
  private tail = 0;
  /** Messages of this client submitted so far. */
  sent = 0;
  private checkedSent = 0;

  constructor(capacity = 32) {
    if ((capacity & (capacity - 1)) !== 0 || capacity < 2) throw new Error(`capacity must be a power of two >= 2, got ${capacity}`);
    this.seqs = new Float64Array(capacity);
    this.counts = new Float64Array(capacity);
    this.mask = capacity - 1;
  }

  /** Records that every message this client has sent is among the matcher's first `submitted`. */
  mark(submitted: number): void {
    if (this.tail !== this.head) {
      const last = (this.tail - 1) & this.mask;
      if (this.counts[last] === this.sent) return;
      if (this.tail - this.head > this.mask) {
        this.seqs[last] = submitted;
        this.counts[last] = this.sent;
        return;
      }
    } else if (this.checkedSent === this.sent) return;
    const i = this.tail & this.mask;
    this.seqs[i] = submitted;
    this.counts[i] = this.sent;
    this.tail++;
  }

  /** Messages whose output may be unchecked, given that the matcher's output for its first `checked` has been. */
  unchecked(checked: number): number {
    while (this.head !== this.tail) {
      const i = this.head & this.mask;
      if (this.seqs[i] > checked) break;
      this.checkedSent = this.counts[i];
      this.head++;
    }
    return this.sent - this.checkedSent;
  }
}
