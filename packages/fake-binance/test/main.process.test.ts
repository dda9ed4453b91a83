import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';

const mainJs = join(dirname(fileURLToPath(import.meta.url)), '../dist/main.js');

describe('fake-binance as a process', () => {
  let child: ChildProcess | undefined;
  afterEach(() => { if (child !== undefined && child.exitCode === null) child.kill('SIGTERM'); });

  it('prints its port, streams depth, obeys /_control, exits 78 on bad flags', async () => {
    child = spawn(process.execPath, [mainJs, '--port', '0', '--symbols', 'BTCUSDT', '--seed', '5', '--speed', '10'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await new Promise<string>((resolve, reject) => {
      let out = '';
      const t = setTimeout(() => reject(new Error('no port line')), 10_000);
      child!.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const nl = out.indexOf('\n');
        if (nl >= 0) { clearTimeout(t); resolve(out.slice(0, nl)); }
      });
    });
    const info = JSON.parse(line) as { port: number; ws: string; rest: string };
    expect(info.port).toBeGreaterThan(0);
    const ws = new WebSocket(`${info.ws}/stream?streams=btcusdt@depth@100ms`);
    const frames: string[] = [];
    ws.on('message', (d) => frames.push(String(d)));
    const deadline = Date.now() + 10_000;
    while (frames.length < 5 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(frames.length).toBeGreaterThanOrEqual(5);
    const res = await fetch(`${info.rest}/_control/serverShutdown`, { method: 'POST' });
    expect(res.status).toBe(200);
    while (!frames.some((f) => f.includes('serverShutdown')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(frames.some((f) => f.includes('"!serverShutdown"'))).toBe(true);
    ws.close();
    const exited = new Promise<number | null>((r) => child!.once('exit', (code) => r(code)));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const bad = spawn(process.execPath, [mainJs, '--seed', 'x'], { stdio: 'ignore' });
    expect(await new Promise((r) => bad.once('exit', (code) => r(code)))).toBe(78);
  });
});
