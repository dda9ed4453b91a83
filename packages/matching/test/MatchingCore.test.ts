import { describe, expect, it } from 'vitest';
import { CapacityVeto, DEFAULT_CORE_LIMITS, type CoreLimits } from '../src/CoreLimits.js';
import { MatchingCore } from '../src/MatchingCore.js';
import { symbolHi, symbolLo } from '../src/Symbol8.js';
import { CsvRecorder } from './support/CsvRecorder.js';

const B = 0x42;
const S = 0x53;

function setup(limits: Partial<CoreLimits> = {}): { core: MatchingCore; rec: CsvRecorder; n: (c: number, u: number, o: number, sym: string, p: number, q: number, side: number) => string[]; x: (c: number, u: number, o: number, sym?: string) => string[] } {
  const rec = new CsvRecorder();
  const core = new MatchingCore({ ...DEFAULT_CORE_LIMITS, maxOrders: 64, maxBooks: 4, maxLevelsPerBook: 8, ...limits }, rec);
  return {
    core,
    rec,
    n: (c, u, o, sym, p, q, side) => {
      core.newOrder(c, u, o, symbolHi(sym), symbolLo(sym), p, q, side);
      return rec.take();
    },
    x: (c, u, o, sym) => {
      core.cancel(c, u, o, sym ? symbolHi(sym) : 0, sym ? symbolLo(sym) : 0, sym !== undefined);
      return rec.take();
    },
  };
}

describe('MatchingCore', () => {
  it('walks several levels best first, trades at resting prices, keeps time priority of a partial fill', () => {
    const { n } = setup();
    n(1, 1, 1, 'IBM', 101, 10, S);
    n(1, 1, 2, 'IBM', 100, 10, S);
    n(1, 1, 3, 'IBM', 100, 10, S);
    expect(n(1, 2, 1, 'IBM', 101, 15, B)).toEqual(['A, IBM, 2, 1', 'T, IBM, 2, 1, 1, 2, 100, 10', 'T, IBM, 2, 1, 1, 3, 100, 5', 'B, IBM, S, 100, 5']);
    n(1, 1, 4, 'IBM', 100, 10, S);
    // Order 3 (partially filled) is still first at 100.
    expect(n(1, 2, 2, 'IBM', 0, 6, B)).toEqual(['A, IBM, 2, 2', 'T, IBM, 2, 2, 1, 3, 100, 5', 'T, IBM, 2, 2, 1, 4, 100, 1', 'B, IBM, S, 100, 9']);
    expect(n(1, 2, 3, 'IBM', 0, 100, B)).toEqual(['A, IBM, 2, 3', 'T, IBM, 2, 3, 1, 4, 100, 9', 'T, IBM, 2, 3, 1, 1, 101, 10', 'B, IBM, S, -, -']);
  });

  it('lists the buyer first in trades whoever is the aggressor, and reports the aggressor (incoming order) side', () => {
    const { n, rec } = setup();
    n(1, 5, 1, 'X', 10, 1, B);
    expect(n(2, 6, 1, 'X', 9, 1, S)).toEqual(['A, X, 6, 1', 'T, X, 5, 1, 6, 1, 10, 1', 'B, X, B, -, -']);
    n(1, 5, 2, 'X', 12, 2, S);
    n(2, 6, 2, 'X', 0, 1, B);
    n(2, 6, 3, 'X', 13, 1, B);
    expect(rec.aggressors).toEqual([S, B, B]);
  });

  it('applies a caller\'s capacity vetoes where its own limits would refuse: new book 6 after 5, orders 6 before 9', () => {
    const { core, rec, n } = setup({ maxOrdersPerBook: 1 });
    n(1, 1, 1, 'V', 10, 1, B);
    core.newOrder(1, 1, 1, symbolHi('W'), symbolLo('W'), 10, 1, B, CapacityVeto.NEW_BOOK);
    core.newOrder(1, 1, 2, symbolHi('W'), symbolLo('W'), 10, 1, B, CapacityVeto.NEW_BOOK);
    // A market order into an existing book ignores the order veto (it never rests); a limit order gets 6, not 9.
    core.newOrder(1, 1, 3, symbolHi('V'), symbolLo('V'), 0, 1, S, CapacityVeto.ORDERS);
    core.newOrder(1, 1, 4, symbolHi('V'), symbolLo('V'), 11, 1, B, CapacityVeto.ORDERS);
    expect(rec.take()).toEqual(['R, W, 1, 1, 5', 'R, W, 1, 2, 6', 'A, V, 1, 3', 'T, V, 1, 1, 1, 3, 10, 1', 'B, V, B, -, -', 'R, V, 1, 4, 6']);
    expect(core.bookCount).toBe(1);
    expect(n(1, 1, 5, 'V', 11, 1, B)).toEqual(['A, V, 1, 5', 'B, V, B, 11, 1']);
    expect(n(1, 1, 6, 'V', 11, 1, B)).toEqual(['R, V, 1, 6, 9']);
  });

  it('never rests a market order; an empty book gives only the ack', () => {
    const { core, n } = setup();
    expect(n(1, 1, 1, 'M', 0, 5, B)).toEqual(['A, M, 1, 1']);
    expect(core.restingOrders).toBe(0);
    n(1, 1, 2, 'M', 50, 2, S);
    expect(n(1, 1, 3, 'M', 0, 5, B)).toEqual(['A, M, 1, 3', 'T, M, 1, 3, 1, 2, 50, 2', 'B, M, S, -, -']);
    expect(core.restingOrders).toBe(0);
  });

  it('publishes a side only when its best price or quantity changed', () => {
    const { n, x } = setup();
    expect(n(1, 1, 1, 'T', 10, 5, B)).toEqual(['A, T, 1, 1', 'B, T, B, 10, 5']);
    expect(n(1, 1, 2, 'T', 9, 5, B)).toEqual(['A, T, 1, 2']);
    expect(n(1, 1, 3, 'T', 10, 5, B)).toEqual(['A, T, 1, 3', 'B, T, B, 10, 10']);
    expect(x(1, 1, 2)).toEqual(['C, T, 1, 2']);
    expect(x(1, 1, 1, 'T')).toEqual(['C, T, 1, 1', 'B, T, B, 10, 5']);
  });

  it('cancels: both forms, wrong symbol, unknown, filled and repeated → 4; zero ids → 10', () => {
    const { n, x } = setup();
    n(1, 1, 1, 'C1', 10, 5, B);
    expect(x(1, 1, 1, 'C2')).toEqual(['R, C2, 1, 1, 4']);
    expect(x(1, 1, 1, 'C1')).toEqual(['C, C1, 1, 1', 'B, C1, B, -, -']);
    expect(x(1, 1, 1)).toEqual(['R, , 1, 1, 4']);
    n(1, 1, 2, 'C1', 10, 5, B);
    n(1, 2, 1, 'C1', 10, 5, S);
    expect(x(1, 1, 2)).toEqual(['R, , 1, 2, 4']);
    expect(x(1, 0, 2)).toEqual(['R, , 0, 2, 10']);
  });

  it('enforces ownership unless configured otherwise or the user is verified', () => {
    const own = setup();
    own.n(1, 1, 1, 'O', 10, 5, B);
    expect(own.x(2, 1, 1)).toEqual(['R, O, 1, 1, 7']);
    own.core.cancel(2, 1, 1, 0, 0, false, true);
    expect(own.rec.take()).toEqual(['C, O, 1, 1', 'B, O, B, -, -']);
    expect(own.rec.recipients).toEqual([]);
    const any = setup({ cancelByAnyClient: true });
    any.n(1, 1, 1, 'O', 10, 5, B);
    any.core.cancel(2, 1, 1, 0, 0, false);
    expect(any.rec.lines[0]).toBe('C, O, 1, 1');
    expect(any.rec.recipients[0]).toEqual([2, 1]);
  });

  it('rejects duplicates only while the first order rests', () => {
    const { n, x } = setup();
    n(1, 1, 1, 'D', 10, 5, B);
    expect(n(1, 1, 1, 'D', 11, 5, S)).toEqual(['R, D, 1, 1, 5']);
    expect(n(1, 1, 1, 'E', 11, 5, S)).toEqual(['R, E, 1, 1, 5']);
    x(1, 1, 1);
    expect(n(1, 1, 1, 'D', 11, 5, S)[0]).toBe('A, D, 1, 1');
  });

  it('rejects invalid fields: empty symbol 1, zero ids 10, zero quantity 2', () => {
    const { core, n } = setup();
    expect(n(1, 1, 1, '', 10, 5, B)).toEqual(['R, , 1, 1, 1']);
    expect(n(1, 0, 1, 'V', 10, 5, B)).toEqual(['R, V, 0, 1, 10']);
    expect(n(1, 1, 0, 'V', 10, 5, B)).toEqual(['R, V, 1, 0, 10']);
    expect(n(1, 1, 1, 'V', 10, 0, B)).toEqual(['R, V, 1, 1, 2']);
    expect(core.bookCount).toBe(0);
  });

  it('answers capacity limits with rejects: order pool 6, books 6, levels 9, orders per book 9, per user 6', () => {
    const pool = setup({ maxOrders: 2 });
    pool.n(1, 1, 1, 'P', 10, 1, B);
    pool.n(1, 1, 2, 'P', 11, 1, B);
    expect(pool.n(1, 1, 3, 'P', 12, 1, B)).toEqual(['R, P, 1, 3, 6']);
    // A market order needs no slot.
    expect(pool.n(1, 2, 1, 'P', 0, 1, S)[0]).toBe('A, P, 2, 1');

    const books = setup({ maxBooks: 1 });
    books.n(1, 1, 1, 'B1', 10, 1, B);
    expect(books.n(1, 1, 2, 'B2', 10, 1, B)).toEqual(['R, B2, 1, 2, 6']);

    const levels = setup({ maxLevelsPerBook: 2 });
    levels.n(1, 1, 1, 'L', 10, 1, B);
    levels.n(1, 1, 2, 'L', 11, 1, B);
    expect(levels.n(1, 1, 3, 'L', 11, 1, B)[0]).toBe('A, L, 1, 3');
    expect(levels.n(1, 1, 4, 'L', 12, 1, B)).toEqual(['R, L, 1, 4, 9']);
    expect(levels.n(1, 1, 5, 'L', 12, 1, S)[0]).toBe('A, L, 1, 5');

    const perBook = setup({ maxOrdersPerBook: 2 });
    perBook.n(1, 1, 1, 'Q', 10, 1, B);
    perBook.n(1, 1, 2, 'Q', 10, 1, B);
    expect(perBook.n(1, 1, 3, 'Q', 10, 1, B)).toEqual(['R, Q, 1, 3, 9']);
    expect(perBook.n(1, 1, 3, 'Q2', 10, 1, B)[0]).toBe('A, Q2, 1, 3');

    const user = setup({ maxOpenOrdersPerUser: 1 });
    user.n(1, 1, 1, 'U', 10, 1, B);
    expect(user.n(2, 1, 2, 'U', 9, 1, B)).toEqual(['R, U, 1, 2, 6']);
    expect(user.n(2, 2, 2, 'U', 9, 1, B)[0]).toBe('A, U, 2, 2');
    user.n(3, 3, 1, 'U', 10, 1, S);
    expect(user.n(2, 1, 2, 'U', 9, 1, B)[0]).toBe('A, U, 1, 2');
  });

  it('flush: books in creation order, bids best→worst then asks, oldest first; emptied sides since the last flush', () => {
    const { core, rec, n } = setup();
    n(1, 1, 1, 'ZED', 10, 1, B);
    n(1, 1, 2, 'ABC', 20, 1, S);
    n(1, 1, 3, 'ABC', 21, 1, S);
    n(1, 1, 4, 'ABC', 19, 1, B);
    n(1, 1, 5, 'ABC', 18, 1, B);
    n(1, 1, 6, 'ABC', 19, 1, B);
    n(1, 1, 7, 'GONE', 5, 1, B);
    n(1, 2, 1, 'GONE', 5, 1, S); // GONE's bid side was non-empty, now empty
    rec.take();
    core.flush(9);
    expect(rec.take()).toEqual([
      'C, ZED, 1, 1',
      'B, ZED, B, -, -',
      'C, ABC, 1, 4',
      'C, ABC, 1, 6',
      'C, ABC, 1, 5',
      'C, ABC, 1, 2',
      'C, ABC, 1, 3',
      'B, ABC, B, -, -',
      'B, ABC, S, -, -',
      'B, GONE, B, -, -',
    ]);
    expect(core.restingOrders).toBe(0);
    core.flush(9);
    expect(rec.take()).toEqual([]);
    // After a flush the book republishes its top from scratch.
    expect(n(1, 1, 8, 'ABC', 19, 1, B)).toEqual(['A, ABC, 1, 8', 'B, ABC, B, 19, 1']);
  });

  it('sweeps one client: only its orders, books in creation order, then changed tops', () => {
    const { core, rec, n } = setup();
    n(1, 1, 1, 'S1', 10, 1, B);
    n(2, 2, 1, 'S1', 10, 1, B);
    n(1, 1, 2, 'S2', 10, 1, S);
    rec.take();
    core.cancelClientOrders(1);
    expect(rec.take()).toEqual(['C, S1, 1, 1', 'B, S1, B, 10, 1', 'C, S2, 1, 2', 'B, S2, S, -, -']);
    expect(core.restingOrders).toBe(1);
  });

  it('reuses slots: 10k add/cancel cycles on a pool of 4 never exhaust it', () => {
    const { core, rec } = setup({ maxOrders: 4 });
    for (let i = 1; i <= 10_000; i++) {
      core.newOrder(1, 1, i, symbolHi('R'), 0, 100 + (i % 7), 1, i & 1 ? B : S);
      if (core.remainingQty(1, i) > 0) core.cancel(1, 1, i, 0, 0, false);
    }
    expect(rec.lines.filter((l) => l.startsWith('R'))).toEqual([]);
    expect(core.restingOrders).toBe(0);
  });

  it('emits one release per valid new order', () => {
    const { core, rec, n, x } = setup({ maxOrders: 1 });
    n(1, 1, 1, 'R', 10, 5, B); // rests
    n(1, 1, 1, 'R', 10, 5, B); // duplicate → release now
    n(1, 1, 2, 'R', 11, 5, B); // pool full → release now
    n(1, 1, 3, 'R', 0, 5, S); // market fills order 1 → releases for both
    n(1, 1, 4, 'R', 10, 0, B); // qty 0: not a candidate, no release
    expect(x(1, 1, 1)).toEqual(['R, , 1, 1, 4']); // already gone: no release
    expect(rec.releases).toBe(4);
    expect(core.restingOrders).toBe(0);
  });
});
