/**
 * "Did you mean" suggestions for unknown keys and variables. Names are compared after normalising case and the
 * `-`/`_` separators (so `depthSpeedMs`, `DEPTH_SPEED_MS` and `depth-speed-ms` are the same name); a candidate is
 * offered only when its edit distance is at most a third of the name's length (minimum 1) or one name is a prefix
 * of the other (a dropped or added suffix), so unrelated names get no misleading hint.
 */

/** Edit distance counting insertions, deletions, substitutions and adjacent transpositions (optimal string alignment). */
export function editDistance(a: string, b: string): number {
  if (a === b) return 0;
  if (a.length === 0) return b.length;
  if (b.length === 0) return a.length;
  // Inputs are short key names: a full matrix is simplest.
  const d: number[][] = [];
  for (let i = 0; i <= a.length; i++) d.push([i, ...new Array<number>(b.length).fill(0)]);
  for (let j = 0; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    const row = d[i]!;
    const up = d[i - 1]!;
    for (let j = 1; j <= b.length; j++) {
      const cost = a.charCodeAt(i - 1) === b.charCodeAt(j - 1) ? 0 : 1;
      let v = Math.min(up[j]! + 1, row[j - 1]! + 1, up[j - 1]! + cost);
      if (i > 1 && j > 1 && a.charCodeAt(i - 1) === b.charCodeAt(j - 2) && a.charCodeAt(i - 2) === b.charCodeAt(j - 1)) {
        v = Math.min(v, d[i - 2]![j - 2]! + 1);
      }
      row[j] = v;
    }
  }
  return d[a.length]![b.length]!;
}

function normalise(name: string): string {
  return name.toLowerCase().replace(/[-_]/g, '');
}

/** The closest candidate to `name`, or undefined if none is close enough. */
export function didYouMean(name: string, candidates: Iterable<string>): string | undefined {
  const n = normalise(name);
  const limit = Math.max(1, Math.floor(n.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const cn = normalise(candidate);
    let d = editDistance(n, cn);
    // A dropped unit suffix (`timeout` for `timeout-ms`) is a likely slip even when the distance is large.
    if (Math.min(n.length, cn.length) >= 3 && (cn.startsWith(n) || n.startsWith(cn))) d = Math.min(d, limit);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return bestDistance <= limit ? best : undefined;
}
