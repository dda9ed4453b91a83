/** A journal that cannot be used as asked: not a journal file, another kind of journal, an I/O failure. */
export class JournalError extends Error {
  override readonly name = 'JournalError';
}
