/**
 * A subscription to (channel, streamId): the set of Images (one per publisher session) the driver linked to it,
 * polled round-robin so one busy image cannot starve the others.
 *
 * Invariants: the images array is replaced (copy on write) when images come and go, and that only happens inside
 * the client conductor's duty cycle, never during a poll. Polling allocates nothing.
 */
import type { Image } from './Image.js';
import type { TermFragmentHandler } from './logbuffer/TermReader.js';

export type AvailableImageHandler = (sessionId: number, sourceIdentity: string, image: Image) => void;
export type UnavailableImageHandler = (sessionId: number, image: Image) => void;

export interface SubscriptionParams {
  readonly channel: string;
  readonly streamId: number;
  readonly registrationId: number;
  readonly onAvailableImage: AvailableImageHandler | undefined;
  readonly onUnavailableImage: UnavailableImageHandler | undefined;
  readonly onClose: (subscription: Subscription) => void;
  readonly onError: (error: Error) => void;
}

const NO_IMAGES: readonly Image[] = Object.freeze([]);

export class Subscription {
  readonly channel: string;
  readonly streamId: number;
  readonly registrationId: number;
  private images: readonly Image[] = NO_IMAGES;
  private roundRobinIndex = 0;
  private closed = false;
  private readonly params: SubscriptionParams;

  constructor(params: SubscriptionParams) {
    this.params = params;
    this.channel = params.channel;
    this.streamId = params.streamId;
    this.registrationId = params.registrationId;
  }

  get isClosed(): boolean { return this.closed; }

  poll(handler: TermFragmentHandler, fragmentLimit: number): number {
    const images = this.images;
    const length = images.length;
    if (length === 0) return 0;
    let fragmentsRead = 0;
    let startingIndex = this.roundRobinIndex++;
    if (startingIndex >= length) this.roundRobinIndex = startingIndex = 0;
    for (let i = startingIndex; i < length && fragmentsRead < fragmentLimit; i++) {
      fragmentsRead += images[i]!.poll(handler, fragmentLimit - fragmentsRead);
    }
    for (let i = 0; i < startingIndex && fragmentsRead < fragmentLimit; i++) {
      fragmentsRead += images[i]!.poll(handler, fragmentLimit - fragmentsRead);
    }
    return fragmentsRead;
  }

  isConnected(): boolean {
    for (const image of this.images) if (!image.isClosed) return true;
    return false;
  }

  imageCount(): number { return this.images.length; }
  imageBySessionId(sessionId: number): Image | undefined { return this.images.find((i) => i.sessionId === sessionId); }
  /** A snapshot of the current images. */
  getImages(): readonly Image[] { return this.images; }

  /** Sends REMOVE_SUBSCRIPTION and closes the images (calling onUnavailableImage for each). */
  close(): void {
    if (this.closed) return;
    this.params.onClose(this);
  }

  // ---- conductor side ----
  hasImage(correlationId: number): boolean { return this.images.some((i) => i.correlationId === correlationId); }

  addImage(image: Image): void {
    this.images = [...this.images, image];
    this.callback(() => this.params.onAvailableImage?.(image.sessionId, image.sourceIdentity, image));
  }

  removeImage(correlationId: number): Image | undefined {
    const image = this.images.find((i) => i.correlationId === correlationId);
    if (image === undefined) return undefined;
    this.images = this.images.filter((i) => i !== image);
    image.close();
    this.callback(() => this.params.onUnavailableImage?.(image.sessionId, image));
    return image;
  }

  internalClose(): void {
    if (this.closed) return;
    this.closed = true;
    const images = this.images;
    this.images = NO_IMAGES;
    for (const image of images) {
      image.close();
      this.callback(() => this.params.onUnavailableImage?.(image.sessionId, image));
    }
  }

  private callback(fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.params.onError(e instanceof Error ? e : new Error(String(e)));
    }
  }
}
