// mm dashboard page: no build step, no external assets (the product runs offline).
// The server sends a snapshot on connect, then deltas at most pushRateHz times a second. Numbers arrive as display
// strings formatted on the server (exact 1e-8 decimals), so the page never re-rounds them; chart points arrive as
// floats. Charts are drawn on <canvas> by hand; each canvas carries data-points / data-draws so tests can see that it
// received and drew data, and window.__mmDashboard exposes the same counters.
'use strict';

(() => {
  const COL = { t: 0, mid: 1, fair: 2, bid: 3, ask: 4, position: 5, pnl: 6 };
  const FILL = { t: 0, price: 1, side: 2, qty: 3 };
  const css = getComputedStyle(document.documentElement);
  const color = (name) => css.getPropertyValue(name).trim() || '#ccc';
  const COLORS = {
    mid: color('--mid'), fair: color('--fair'), bid: color('--bid'), ask: color('--ask'),
    pos: color('--pos'), pnl: color('--pnl'), grid: '#1e2833', axis: color('--muted'),
  };

  const state = {
    historyLength: 3000,
    fillHistoryLength: 500,
    symbols: new Map(), // symbol -> { el, charts, points: [], fills: [] }
    messages: 0,
    seq: 0,
  };
  const debug = { messages: 0, snapshots: 0, deltas: 0, points: {}, draws: 0 };
  window.__mmDashboard = debug;

  const $ = (sel, root = document) => root.querySelector(sel);

  // ---- DOM -------------------------------------------------------------------------------------------------------

  function ensureSymbol(symbol) {
    let s = state.symbols.get(symbol);
    if (s) return s;
    const node = $('#symbol-template').content.firstElementChild.cloneNode(true);
    node.dataset.testid = `symbol-${symbol}`;
    $('.symbol-name', node).textContent = symbol;
    for (const el of node.querySelectorAll('[data-key]')) el.dataset.testid = `${el.dataset.key}-${symbol}`;
    const charts = {};
    for (const c of node.querySelectorAll('canvas[data-chart]')) {
      c.dataset.testid = `chart-${c.dataset.chart}-${symbol}`;
      c.dataset.points = '0';
      c.dataset.draws = '0';
      charts[c.dataset.chart] = c;
    }
    $('#symbols').appendChild(node);
    s = { el: node, charts, points: [], fills: [] };
    state.symbols.set(symbol, s);
    debug.points[symbol] = 0;
    return s;
  }

  function applyView(symbol, view) {
    const s = ensureSymbol(symbol);
    for (const el of s.el.querySelectorAll('[data-key]')) {
      const v = view[el.dataset.key];
      if (v === undefined) continue;
      if (el.dataset.key === 'quoteStatus') {
        el.textContent = v === 'live' ? 'quoting' : v === 'pulled' ? 'quotes pulled' : 'no quotes';
        el.className = `badge quote-status ${v}`;
        el.dataset.value = v;
      } else if (el.textContent !== v) {
        el.textContent = v;
      }
    }
  }

  function appendPoints(symbol, points, fills) {
    const s = ensureSymbol(symbol);
    for (const p of points) s.points.push(p);
    if (s.points.length > state.historyLength) s.points.splice(0, s.points.length - state.historyLength);
    for (const f of fills) s.fills.push(f);
    if (s.fills.length > state.fillHistoryLength) s.fills.splice(0, s.fills.length - state.fillHistoryLength);
    debug.points[symbol] = s.points.length;
    for (const c of Object.values(s.charts)) {
      c.dataset.points = String(s.points.length);
      c.dataset.fills = String(s.fills.length);
    }
  }

  function fmtAge(ms) {
    if (ms === null) return 'never';
    return ms < 10_000 ? `${(ms / 1000).toFixed(1)} s ago` : `${Math.round(ms / 1000)} s ago`;
  }

  function fmtUptime(s) {
    const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
    return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
  }

  function renderHealth(rows) {
    const body = $('#health-body');
    if (rows.length === 0) return;
    const frag = document.createDocumentFragment();
    for (const r of rows) {
      const tr = document.createElement('tr');
      tr.className = `state-${r.state}${r.stale ? ' stale' : ''}`;
      tr.dataset.testid = `health-${r.service}-${r.instanceId}`;
      const cells = [
        ['service', r.service], ['num', String(r.instanceId)], ['num', String(r.pid)],
        ['state', r.stale && r.heartbeatAgeMs !== null ? `${r.state} (stale)` : r.state],
        ['reason', r.symbols ? `${r.reason} [${r.symbols}]` : r.reason], ['age', fmtAge(r.heartbeatAgeMs)],
        ['num', fmtUptime(r.uptimeS)], ['num', String(r.messagesIn)], ['num', String(r.messagesOut)],
        ['num', String(r.errors)],
      ];
      for (const [cls, text] of cells) {
        const td = document.createElement('td');
        td.className = cls;
        td.textContent = text;
        if (cls === 'state') td.dataset.testid = `health-state-${r.service}-${r.instanceId}`;
        tr.appendChild(td);
      }
      frag.appendChild(tr);
    }
    body.replaceChildren(frag);
  }

  function renderStats(stats, timeMs) {
    const entries = Object.entries(stats.messages);
    entries.push(['invalid', stats.invalid], ['unknown symbol', stats.unknownSymbol], ['other venue', stats.otherVenue]);
    const frag = document.createDocumentFragment();
    for (const [k, v] of entries) {
      const span = document.createElement('span');
      const b = document.createElement('b');
      b.textContent = k;
      span.append(b, ` ${v}`);
      span.dataset.testid = `stat-${k.replace(/ /g, '-')}`;
      frag.appendChild(span);
    }
    $('#stats').replaceChildren(frag);
    $('[data-testid="updated"]').textContent = `updated ${new Date(timeMs).toISOString().slice(11, 23)} UTC`;
  }

  // ---- messages --------------------------------------------------------------------------------------------------

  function onSnapshot(m) {
    state.historyLength = m.historyLength;
    state.fillHistoryLength = m.fillHistoryLength;
    $('[data-testid="venue"]').textContent = `venue: ${m.venue}`;
    for (const symbol of m.symbols) {
      const s = ensureSymbol(symbol);
      s.points = [];
      s.fills = [];
      const d = m.data[symbol];
      if (!d) continue;
      applyView(symbol, d.view);
      appendPoints(symbol, d.points, d.fills);
    }
    renderHealth(m.health);
    renderStats(m.stats, m.timeMs);
    debug.snapshots++;
  }

  function onDelta(m) {
    for (const [symbol, d] of Object.entries(m.data)) {
      applyView(symbol, d.view);
      appendPoints(symbol, d.points, d.fills);
    }
    renderHealth(m.health);
    renderStats(m.stats, m.timeMs);
    debug.deltas++;
  }

  let drawPending = false;
  function scheduleDraw() {
    if (drawPending) return;
    drawPending = true;
    const run = () => {
      if (!drawPending) return;
      drawPending = false;
      drawAll();
    };
    requestAnimationFrame(run);
    setTimeout(run, 250); // rAF does not fire in a hidden tab
  }

  let retryMs = 500;
  function connect() {
    const status = $('[data-testid="connection"]');
    const ws = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
    ws.onopen = () => {
      retryMs = 500;
      status.textContent = 'live';
      status.className = 'badge status status-live';
    };
    ws.onmessage = (ev) => {
      let m;
      try {
        m = JSON.parse(ev.data);
      } catch (e) {
        console.error('dashboard: bad message', e);
        return;
      }
      debug.messages++;
      if (m.type === 'snapshot') onSnapshot(m);
      else if (m.type === 'delta') onDelta(m);
      scheduleDraw();
    };
    ws.onclose = () => {
      status.textContent = `disconnected, retrying in ${(retryMs / 1000).toFixed(1)} s`;
      status.className = 'badge status status-disconnected';
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 5000);
    };
  }

  // ---- charts ----------------------------------------------------------------------------------------------------

  function niceStep(range, ticks) {
    const raw = range / Math.max(1, ticks);
    const mag = 10 ** Math.floor(Math.log10(raw));
    const n = raw / mag;
    return (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * mag;
  }

  const TIME_STEPS_MS = [1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600].map((s) => s * 1000);
  function timeStep(rangeMs, ticks) {
    for (const step of TIME_STEPS_MS) if (rangeMs / step <= ticks) return step;
    return TIME_STEPS_MS[TIME_STEPS_MS.length - 1];
  }

  function fmtAxis(v, step) {
    const decimals = Math.max(0, Math.min(8, -Math.floor(Math.log10(step))));
    return v.toFixed(decimals);
  }

  /**
   * Draws lines (with steps for quotes and positions) over time. `lines`: [{ col, color, step }]; `markers`:
   * fills as triangles. Returns the number of points drawn.
   */
  function drawChart(canvas, points, lines, markers) {
    const dpr = window.devicePixelRatio || 1;
    const w = Math.max(50, canvas.clientWidth), h = Math.max(50, canvas.clientHeight);
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    const g = canvas.getContext('2d');
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    const left = 78, right = 8, top = 8, bottom = 20;
    const pw = w - left - right, ph = h - top - bottom;

    let tMin = Infinity, tMax = -Infinity, yMin = Infinity, yMax = -Infinity;
    for (const p of points) {
      const t = p[COL.t];
      if (t < tMin) tMin = t;
      if (t > tMax) tMax = t;
      for (const l of lines) {
        const v = p[l.col];
        if (v === null || !Number.isFinite(v)) continue;
        if (v < yMin) yMin = v;
        if (v > yMax) yMax = v;
      }
    }
    for (const f of markers) {
      if (f[FILL.t] < tMin || f[FILL.t] > tMax) continue;
      if (f[FILL.price] < yMin) yMin = f[FILL.price];
      if (f[FILL.price] > yMax) yMax = f[FILL.price];
    }
    g.font = '11px ui-monospace, "DejaVu Sans Mono", monospace';
    if (!Number.isFinite(yMin) || !Number.isFinite(tMin)) {
      g.fillStyle = COLORS.axis;
      g.fillText('waiting for data…', left + 8, top + ph / 2);
      return 0;
    }
    // A flat series gets a readable band around it (a tenth of a unit, or 0.1% of the value if larger).
    if (yMax - yMin < 1e-9) { const pad = Math.max(Math.abs(yMax) * 1e-3, 0.1); yMin -= pad; yMax += pad; }
    const padY = (yMax - yMin) * 0.08;
    yMin -= padY; yMax += padY;
    if (tMax - tMin < 1000) tMin = tMax - 1000;
    const x = (t) => left + ((t - tMin) / (tMax - tMin)) * pw;
    const y = (v) => top + (1 - (v - yMin) / (yMax - yMin)) * ph;

    // grid and axes
    const yStep = niceStep(yMax - yMin, 4);
    g.strokeStyle = COLORS.grid;
    g.fillStyle = COLORS.axis;
    g.lineWidth = 1;
    g.textAlign = 'right';
    g.textBaseline = 'middle';
    for (let v = Math.ceil(yMin / yStep) * yStep; v <= yMax; v += yStep) {
      const yy = Math.round(y(v)) + 0.5;
      g.beginPath(); g.moveTo(left, yy); g.lineTo(w - right, yy); g.stroke();
      g.fillText(fmtAxis(v, yStep), left - 6, yy);
    }
    g.textAlign = 'center';
    g.textBaseline = 'top';
    const tStep = timeStep(tMax - tMin, 6);
    for (let t = Math.ceil(tMin / tStep) * tStep; t <= tMax; t += tStep) {
      const xx = Math.round(x(t)) + 0.5;
      g.beginPath(); g.moveTo(xx, top); g.lineTo(xx, top + ph); g.stroke();
      g.fillText(new Date(t).toISOString().slice(11, 19), xx, top + ph + 4);
    }

    // lines: gaps where a value is missing
    for (const l of lines) {
      g.strokeStyle = l.color;
      g.lineWidth = l.width || 1.5;
      g.beginPath();
      let pen = false, lastY = 0;
      for (const p of points) {
        const v = p[l.col];
        if (v === null || !Number.isFinite(v)) { pen = false; continue; }
        const xx = x(p[COL.t]), yy = y(v);
        if (!pen) { g.moveTo(xx, yy); pen = true; } else {
          if (l.step) g.lineTo(xx, lastY);
          g.lineTo(xx, yy);
        }
        lastY = yy;
      }
      if (pen && points.length > 0) g.lineTo(x(tMax), lastY);
      g.stroke();
      // A dot on the newest value, so a series with a single point is visible too.
      const last = points[points.length - 1];
      if (last && last[l.col] !== null && Number.isFinite(last[l.col])) {
        g.fillStyle = l.color;
        g.beginPath();
        g.arc(x(last[COL.t]), y(last[l.col]), 2.5, 0, Math.PI * 2);
        g.fill();
      }
    }

    // fills: ▲ buy (green), ▼ sell (red)
    for (const f of markers) {
      if (f[FILL.t] < tMin) continue;
      const xx = x(Math.min(f[FILL.t], tMax)), yy = y(f[FILL.price]);
      const buy = f[FILL.side] === 1;
      g.fillStyle = buy ? COLORS.bid : COLORS.ask;
      g.beginPath();
      if (buy) { g.moveTo(xx, yy - 6); g.lineTo(xx - 5, yy + 4); g.lineTo(xx + 5, yy + 4); } else {
        g.moveTo(xx, yy + 6); g.lineTo(xx - 5, yy - 4); g.lineTo(xx + 5, yy - 4);
      }
      g.closePath();
      g.fill();
    }
    return points.length;
  }

  function drawAll() {
    for (const s of state.symbols.values()) {
      const drawn = [
        [s.charts.price, [
          { col: COL.mid, color: COLORS.mid },
          { col: COL.fair, color: COLORS.fair, width: 1 },
          { col: COL.bid, color: COLORS.bid, step: true },
          { col: COL.ask, color: COLORS.ask, step: true },
        ], s.fills],
        [s.charts.position, [{ col: COL.position, color: COLORS.pos, step: true, width: 2 }], []],
        [s.charts.pnl, [{ col: COL.pnl, color: COLORS.pnl, width: 2 }], []],
      ];
      for (const [canvas, lines, markers] of drawn) {
        if (!canvas) continue;
        drawChart(canvas, s.points, lines, markers);
        canvas.dataset.draws = String(Number(canvas.dataset.draws) + 1);
        canvas.dataset.drawnPoints = String(s.points.length);
      }
    }
    debug.draws++;
  }

  window.addEventListener('resize', scheduleDraw);
  connect();
})();
