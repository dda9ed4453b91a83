/**
 * Stable text for outputs that must be byte-identical between runs: 1e-8 integers as exact decimals, floats
 * with a fixed number of decimals (and no negative zero), never locale- or platform-dependent formatting.
 */

/** 6173763000000 → "61737.63"; exact for every safe integer. */
export function e8(value: number): string {
  const neg = value < 0;
  const abs = Math.abs(value);
  const whole = Math.floor(abs / 1e8);
  const frac = abs - whole * 1e8;
  let text = String(whole);
  if (frac !== 0) text += `.${String(frac).padStart(8, '0').replace(/0+$/, '')}`;
  return neg ? `-${text}` : text;
}

/** A float with `decimals` fixed decimals; '' for NaN/Infinity. */
export function fixed(value: number, decimals = 8): string {
  if (!Number.isFinite(value)) return '';
  const text = value.toFixed(decimals);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text;
}

/** A CSV field: quoted only when it holds a comma, quote or newline. */
export function csvField(text: string): string {
  return /[",\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
