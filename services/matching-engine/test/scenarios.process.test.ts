/**
 * The 16 public scenarios through the real service, over TCP (CSV and binary) and UDP (CSV and binary), in
 * single-threaded and threaded mode. Odd scenarios are compared field by field with output_file.csv (our symbol
 * column removed, flush output excluded); every scenario is compared line by line with the in-process core.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { killAll, removeTempDirs } from '@mm/test-support';
import { TcpClient, UdpClient, toBinary } from './support/clients.js';
import { startEngine, type RunningEngine } from './support/engine.js';
import { referenceOutput } from './support/reference.js';
import { loadExpected, loadScenarios, toExerciseFields } from './support/scenarios.js';

const SENTINEL = 'C, 999999, 999999';
const isSentinel = (l: string): boolean => /^R, , 999999, 999999, 4$/.test(l);

const scenarios = loadScenarios();
const expected = loadExpected();

afterAll(() => removeTempDirs());

for (const threaded of [false, true]) {
  describe(`scenarios through the service (threaded=${threaded})`, () => {
    let engine: RunningEngine;
    beforeAll(async () => {
      engine = await startEngine({ ENGINE_THREADED: String(threaded) });
    });
    afterAll(async () => {
      await killAll();
    });

    for (const transport of ['tcp', 'udp'] as const) {
      for (const binary of [false, true]) {
        it(`${transport} ${binary ? 'binary' : 'CSV'}: all 16 scenarios`, async () => {
          const tcp = transport === 'tcp' ? await TcpClient.connect(engine.tcpPort) : null;
          const udp = transport === 'udp' ? await UdpClient.open(engine.udpPort) : null;
          const lines = (): string[] => (tcp ? tcp.lines : (udp as UdpClient).lines);
          const send = async (l: string): Promise<void> => {
            const msg = binary && l !== SENTINEL ? toBinary(l) : l;
            if (tcp) tcp.send(msg);
            else await (udp as UdpClient).send(msg);
          };
          let seen = 0;
          const until = async (): Promise<string[]> => {
            await (tcp ? tcp.waitForLine(isSentinel, seen) : (udp as UdpClient).waitForLine((l) => isSentinel(l)));
            const all = lines();
            const idx = all.findIndex((l, i) => i >= seen && isSentinel(l));
            const got = all.slice(seen, idx);
            seen = idx + 1;
            if (udp) {
              all.splice(0, seen);
              seen = 0;
            }
            return got;
          };
          for (let n = 1; n <= 16; n++) {
            const input = scenarios[n - 1];
            for (const l of input) await send(l);
            await send(SENTINEL);
            const got = await until();
            expect(got, `scenario ${n} vs in-process core`).toEqual(referenceOutput(input).flat());
            const exp = expected.get(n);
            if (exp) expect(got.map(toExerciseFields), `scenario ${n} vs output_file.csv`).toEqual(exp);
            await send('F');
            await send(SENTINEL);
            const flushed = await until();
            expect(flushed, `scenario ${n} flush`).toEqual(referenceOutput([...input, 'F']).at(-1));
          }
          tcp?.close();
          udp?.close();
        });
      }
    }

    it('answers a plain TCP connect (health check like nc -z)', async () => {
      const c = await TcpClient.connect(engine.tcpPort);
      expect(c.closed).toBe(false);
      c.close();
    });
  });
}

afterEach(() => undefined);
