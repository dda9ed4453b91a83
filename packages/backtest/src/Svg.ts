/**
 * Minimal inline-SVG line charts for the report (no scripts, no external assets: the file opens offline).
 * A chart has one x axis (data time, ns) and one y axis; series are polylines (optionally as steps, with gaps
 * where a value is NaN) and markers are small triangles. Long series are thinned to at most `MAX_POINTS` per
 * series by keeping each bucket's first, min, max and last point, so spikes survive.
 */
export interface Series {
  readonly label: string;
  readonly color: string;
  readonly t: readonly number[];
  readonly v: readonly number[];
  readonly step?: boolean;
}

export interface Markers {
  readonly label: string;
  readonly color: string;
  readonly t: readonly number[];
  readonly v: readonly number[];
  /** Triangle pointing up (buys) or down (sells). */
  readonly up: boolean;
}

export interface ChartSpec {
  readonly title: string;
  readonly t0: number;
  readonly t1: number;
  readonly series: readonly Series[];
  readonly markers?: readonly Markers[];
  readonly timeLabel: (tNs: number) => string;
  readonly width?: number;
  readonly height?: number;
}

const MAX_POINTS = 2000;
const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function thin(t: readonly number[], v: readonly number[]): { t: number[]; v: number[] } {
  if (t.length <= MAX_POINTS) return { t: [...t], v: [...v] };
  const buckets = Math.floor(MAX_POINTS / 4);
  const per = Math.ceil(t.length / buckets);
  const ot: number[] = [];
  const ov: number[] = [];
  for (let b = 0; b < t.length; b += per) {
    const end = Math.min(t.length, b + per);
    let lo = b, hi = b;
    for (let i = b; i < end; i++) {
      if (v[i]! < v[lo]!) lo = i;
      if (v[i]! > v[hi]!) hi = i;
    }
    for (const i of [...new Set([b, lo, hi, end - 1])].sort((x, y) => x - y)) {
      ot.push(t[i]!);
      ov.push(v[i]!);
    }
  }
  return { t: ot, v: ov };
}

export function lineChart(spec: ChartSpec): string {
  const W = spec.width ?? 960, H = spec.height ?? 240;
  const L = 80, R = 150, T = 24, B = 28;
  const pw = W - L - R, ph = H - T - B;
  let lo = Infinity, hi = -Infinity;
  for (const s of spec.series) for (const x of s.v) if (Number.isFinite(x)) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
  for (const m of spec.markers ?? []) for (const x of m.v) if (Number.isFinite(x)) { lo = Math.min(lo, x); hi = Math.max(hi, x); }
  if (!Number.isFinite(lo)) { lo = 0; hi = 1; }
  if (hi - lo < 1e-12) { lo -= 0.5; hi += 0.5; }
  const pad = (hi - lo) * 0.05;
  lo -= pad; hi += pad;
  const span = Math.max(1, spec.t1 - spec.t0);
  const x = (t: number): string => (L + ((t - spec.t0) / span) * pw).toFixed(1);
  const y = (v: number): string => (T + (1 - (v - lo) / (hi - lo)) * ph).toFixed(1);
  const out: string[] = [];
  out.push(`<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="11">`);
  out.push(`<text x="${L}" y="14" font-weight="bold">${esc(spec.title)}</text>`);
  out.push(`<rect x="${L}" y="${T}" width="${pw}" height="${ph}" fill="#fafafa" stroke="#ccc"/>`);
  for (let i = 0; i <= 4; i++) {
    const v = lo + ((hi - lo) * i) / 4;
    out.push(`<line x1="${L}" x2="${L + pw}" y1="${y(v)}" y2="${y(v)}" stroke="#eee"/><text x="${L - 4}" y="${y(v)}" text-anchor="end" dy="4">${esc(fmtTick(v, hi - lo))}</text>`);
    const t = spec.t0 + (span * i) / 4;
    out.push(`<text x="${x(t)}" y="${H - 8}" text-anchor="middle">${esc(spec.timeLabel(t))}</text>`);
  }
  spec.series.forEach((s, k) => {
    const { t, v } = thin(s.t, s.v);
    let d = '';
    let open = false;
    let prevY = '';
    for (let i = 0; i < t.length; i++) {
      if (!Number.isFinite(v[i]!)) { open = false; continue; }
      const px = x(t[i]!), py = y(v[i]!);
      if (!open) d += `M${px} ${py}`;
      else d += s.step === true ? `H${px}V${py}` : `L${px} ${py}`;
      open = true;
      prevY = py;
    }
    if (open && s.step === true && prevY !== '') d += `H${x(spec.t1)}`;
    if (d !== '') out.push(`<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.2"/>`);
    out.push(`<rect x="${L + pw + 10}" y="${T + k * 16}" width="10" height="3" fill="${s.color}"/><text x="${L + pw + 24}" y="${T + k * 16 + 4}">${esc(s.label)}</text>`);
  });
  (spec.markers ?? []).forEach((m, k) => {
    const pts: string[] = [];
    for (let i = 0; i < m.t.length; i++) {
      const px = Number(x(m.t[i]!)), py = Number(y(m.v[i]!));
      pts.push(m.up ? `M${px - 4} ${py + 4}L${px + 4} ${py + 4}L${px} ${py - 4}Z` : `M${px - 4} ${py - 4}L${px + 4} ${py - 4}L${px} ${py + 4}Z`);
    }
    if (pts.length > 0) out.push(`<path d="${pts.join('')}" fill="${m.color}" fill-opacity="0.8"/>`);
    const row = spec.series.length + k;
    out.push(`<text x="${L + pw + 10}" y="${T + row * 16 + 4}" fill="${m.color}">${m.up ? '▲' : '▼'} ${esc(m.label)}</text>`);
  });
  out.push('</svg>');
  return out.join('');
}

function fmtTick(v: number, range: number): string {
  const decimals = range >= 100 ? 0 : range >= 1 ? 2 : range >= 0.01 ? 4 : 6;
  return v.toFixed(decimals);
}
