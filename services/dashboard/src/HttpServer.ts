/**
 * The dashboard's HTTP and WebSocket endpoint (`node:http` + `ws`):
 * - `GET /` (and `/app.js`, `/style.css`): the static page, read from `services/dashboard/page/` once at start;
 * - `GET /api/snapshot`: the full current state as JSON (for tests and scripts);
 * - `GET /healthz`: 200 "ok";
 * - `WS /ws`: a snapshot on connect, then the agent's deltas.
 *
 * Binds to the configured host (127.0.0.1 by default). The page has no authentication, so a browser WebSocket whose
 * Origin is another site is refused (a page elsewhere must not read our positions through the user's browser).
 * A client whose socket buffer exceeds `maxClientBufferBytes` is skipped rather than buffered without bound; once it
 * drains below half of that it gets a fresh snapshot instead of the deltas it missed.
 */
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { WebSocket, WebSocketServer } from 'ws';
import type { DashboardSink } from './DashboardAgent.js';

/** The page's files, next to `src/` and `dist/`, so the compiled service finds them inside the repo or image. */
export const DEFAULT_PAGE_DIR = fileURLToPath(new URL('../page/', import.meta.url));

const PAGE_FILES: Readonly<Record<string, { file: string; type: string }>> = {
  '/': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { file: 'index.html', type: 'text/html; charset=utf-8' },
  '/app.js': { file: 'app.js', type: 'text/javascript; charset=utf-8' },
  '/style.css': { file: 'style.css', type: 'text/css; charset=utf-8' },
};

const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; connect-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'no-store',
};

export interface ServerLog {
  info(fields: object, msg: string): void;
  warn(fields: object, msg: string): void;
}

export interface HttpServerOptions {
  readonly host: string;
  readonly port: number;
  /** Full state as JSON text, for `/api/snapshot` and for each new or resyncing WebSocket client. */
  readonly snapshot: () => string;
  readonly maxClientBufferBytes: number;
  readonly pageDir?: string;
  readonly log?: ServerLog;
}

interface Client {
  readonly ws: WebSocket;
  resync: boolean;
}

export class DashboardHttpServer implements DashboardSink {
  private readonly clients = new Set<Client>();
  private readonly wss = new WebSocketServer({ noServer: true, maxPayload: 4096 });
  private readonly files = new Map<string, { body: Buffer; type: string }>();
  private boundUrl = '';
  /** Clients skipped at least once because they were too far behind. */
  slowClientSkips = 0;

  private constructor(private readonly server: Server, private readonly options: HttpServerOptions) {
    const dir = options.pageDir ?? DEFAULT_PAGE_DIR;
    for (const [path, { file, type }] of Object.entries(PAGE_FILES)) {
      try {
        this.files.set(path, { body: readFileSync(join(dir, file)), type });
      } catch (error) {
        throw new Error(`dashboard page file ${join(dir, file)} cannot be read: ${(error as Error).message}`);
      }
    }
    server.on('request', (req, res) => this.onRequest(req, res));
    server.on('upgrade', (req, socket, head) => this.onUpgrade(req, socket, head));
  }

  /** Starts listening; rejects with a message naming the address when it cannot bind. */
  static async listen(options: HttpServerOptions): Promise<DashboardHttpServer> {
    const server = createServer();
    const instance = new DashboardHttpServer(server, options);
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error): void => reject(new Error(`dashboard cannot listen on ${options.host}:${options.port}: ${error.message}`));
      server.once('error', onError);
      server.listen(options.port, options.host, () => {
        server.off('error', onError);
        resolve();
      });
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    instance.boundUrl = `http://${host}:${address.port}/`;
    server.on('error', (error) => options.log?.warn({ err: error }, 'dashboard HTTP server error'));
    options.log?.info({ url: instance.boundUrl }, 'dashboard listening');
    return instance;
  }

  get url(): string { return this.boundUrl; }

  get clientCount(): number { return this.clients.size; }

  broadcast(text: string): void {
    const max = this.options.maxClientBufferBytes;
    for (const client of this.clients) {
      const ws = client.ws;
      if (ws.readyState !== WebSocket.OPEN) continue;
      if (ws.bufferedAmount > max) {
        if (!client.resync) this.slowClientSkips++;
        client.resync = true;
        continue;
      }
      if (client.resync) {
        if (ws.bufferedAmount > max / 2) continue;
        client.resync = false;
        ws.send(this.options.snapshot());
        continue;
      }
      ws.send(text);
    }
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.ws.terminate();
    this.clients.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections?.();
    });
  }

  private onRequest(req: IncomingMessage, res: ServerResponse): void {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', ...SECURITY_HEADERS }).end();
      return;
    }
    const path = (req.url ?? '/').split('?', 1)[0]!;
    if (path === '/api/snapshot') {
      this.send(req, res, 200, 'application/json; charset=utf-8', Buffer.from(this.options.snapshot()));
      return;
    }
    if (path === '/healthz') {
      this.send(req, res, 200, 'text/plain; charset=utf-8', Buffer.from('ok\n'));
      return;
    }
    const file = this.files.get(path);
    if (file === undefined) {
      this.send(req, res, 404, 'text/plain; charset=utf-8', Buffer.from(`not found: ${path}\n`));
      return;
    }
    this.send(req, res, 200, file.type, file.body);
  }

  private send(req: IncomingMessage, res: ServerResponse, status: number, type: string, body: Buffer): void {
    res.writeHead(status, { 'content-type': type, 'content-length': body.length, ...SECURITY_HEADERS });
    res.end(req.method === 'HEAD' ? undefined : body);
  }

  private onUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void {
    const path = (req.url ?? '/').split('?', 1)[0];
    if (path !== '/ws' || !sameOrigin(req)) {
      socket.end('HTTP/1.1 403 Forbidden\r\nconnection: close\r\n\r\n');
      return;
    }
    this.wss.handleUpgrade(req, socket, head, (ws) => {
      const client: Client = { ws, resync: false };
      this.clients.add(client);
      ws.on('close', () => this.clients.delete(client));
      ws.on('error', (error) => this.options.log?.warn({ err: error }, 'dashboard WebSocket client error'));
      // The page sends nothing; anything it does send is ignored.
      ws.send(this.options.snapshot());
    });
  }
}

/** A browser's Origin must name the host it connected to; clients without an Origin (scripts) are allowed. */
function sameOrigin(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === req.headers.host;
  } catch {
    return false;
  }
}
