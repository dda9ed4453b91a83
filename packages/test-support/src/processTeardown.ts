import { afterEach } from 'vitest';
import { killAll } from './ChildProcessHandle.js';
import { removeTempDirs } from './paths.js';

/** Anything a process test opens: an Aeron client (close) or a server (stop). */
export type Closeable = { close(): void } | { stop(): Promise<void> };

export interface ProcessTeardown {
  /** Registers `resource` for closing after the test (in reverse order of registration) and returns it. */
  add<T extends Closeable>(resource: T): T;
}

/**
 * Call inside a `describe` of a process test: after each test it closes what the test registered (newest first, so
 * a client goes before the server it talks to), kills every child process the test started and removes its temp
 * dirs. A failing close does not stop the rest of the teardown; the first failure is rethrown at the end.
 */
export function useProcessTeardown(): ProcessTeardown {
  const resources: Closeable[] = [];
  afterEach(async () => {
    let failure: unknown;
    for (const r of resources.splice(0).reverse()) {
      try {
        if ('stop' in r) await r.stop(); else r.close();
      } catch (e) {
        failure ??= e;
      }
    }
    await killAll();
    removeTempDirs();
    if (failure !== undefined) throw failure;
  });
  return {
    add(resource) {
      resources.push(resource);
      return resource;
    },
  };
}
