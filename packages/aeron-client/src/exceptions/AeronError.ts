/** Base of every error this client raises, so callers can tell Aeron failures from their own. */
export class AeronError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'AeronError';
  }
}
