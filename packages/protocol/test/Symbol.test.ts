import { describe, expect, it } from 'vitest';
import { AtomicBuffer } from '@mm/agrona';
import { getSymbol, putAsciiLenient, getAscii, putSymbol, symbolBytes, symbolEquals, SymbolTable } from '../src/Symbol.js';

describe('symbol field', () => {
  it('writes NUL-padded ASCII and reads it back', () => {
    const buffer = AtomicBuffer.allocate(32);
    buffer.setMemory(0, 32, 0xff);
    putSymbol(buffer, 8, 'BTCUSDT');
    expect(Array.from(buffer.bytes.subarray(8, 24))).toEqual([66, 84, 67, 85, 83, 68, 84, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(getSymbol(buffer, 8)).toBe('BTCUSDT');
    expect(symbolEquals(buffer, 8, symbolBytes('BTCUSDT'))).toBe(true);
    expect(symbolEquals(buffer, 8, symbolBytes('BTCUSD'))).toBe(false);
    putSymbol(buffer, 8, '1234567890ABCDEF');
    expect(getSymbol(buffer, 8)).toBe('1234567890ABCDEF');
  });

  it('rejects symbols that do not fit, with the symbol named', () => {
    const buffer = AtomicBuffer.allocate(32);
    expect(() => putSymbol(buffer, 0, '1234567890ABCDEFG')).toThrow(/1234567890ABCDEFG/);
    expect(() => putSymbol(buffer, 0, '')).toThrow(RangeError);
    expect(() => putSymbol(buffer, 0, 'BTC€')).toThrow(/ASCII/);
    expect(() => symbolBytes('BTC USDT')).toThrow(RangeError);
  });

  it('writes free text leniently: truncated, non-ASCII replaced', () => {
    const buffer = AtomicBuffer.allocate(16);
    putAsciiLenient(buffer, 0, 8, 'déjà vu and more');
    expect(getAscii(buffer, 0, 8)).toBe('d?j? vu ');
  });
});

describe('SymbolTable', () => {
  it('maps registered symbol fields to their index without strings, and -1 otherwise', () => {
    const table = new SymbolTable(4);
    expect(table.register('BTCUSDT')).toBe(0);
    expect(table.register('ETHUSDT')).toBe(1);
    expect(table.register('BTCUSDT')).toBe(0);
    const buffer = AtomicBuffer.allocate(64);
    putSymbol(buffer, 3, 'ETHUSDT');
    putSymbol(buffer, 19, 'BTCUSDT');
    putSymbol(buffer, 35, 'ETHUSDC');
    expect(table.indexOf(buffer, 3)).toBe(1);
    expect(table.indexOf(buffer, 19)).toBe(0);
    expect(table.indexOf(buffer, 35)).toBe(-1);
    expect(table.name(1)).toBe('ETHUSDT');
    expect(table.indexOfName('BTCUSDT')).toBe(0);
    expect(table.size()).toBe(2);
  });

  it('refuses to grow past its capacity', () => {
    const table = new SymbolTable(1);
    table.register('A');
    expect(() => table.register('B')).toThrow(/full/);
  });
});
