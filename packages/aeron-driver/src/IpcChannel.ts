/**
 * Parses the channels this driver accepts: `aeron:ipc` with optional `?key=value|key=value` parameters.
 *
 * Honoured: `term-length`, `mtu`, `session-id`, `tether`, `linger` (ns, optional unit suffix), `pub-wnd`.
 * Ignored like Aeron ignores what does not apply to IPC: `sparse`, `tags`, `alias`, `eos`, `reliable`, `group`, etc.
 * Rejected with a clear message: non-IPC media (UDP needs Aeron's C or Java driver), spies, and `init-term-id` /
 * `term-id` / `term-offset` (publication resume is not implemented here).
 */
import { ControlProtocolError, ErrorCode, IPC_CHANNEL_PREFIX, SPY_PREFIX } from './ControlProtocol.js';
import { checkMtu, checkTermLength, DriverConfigError } from './DriverContext.js';
import { parseDurationNs, parseSize } from './DriverEnv.js';

export interface IpcChannelParams {
  readonly channel: string;
  readonly termLength: number | undefined;
  readonly mtu: number | undefined;
  readonly sessionId: number | undefined;
  readonly tether: boolean;
  readonly lingerNs: number | undefined;
  readonly publicationWindow: number | undefined;
}

const UNSUPPORTED_PARAMS = ['init-term-id', 'term-id', 'term-offset'];

export function parseIpcChannel(channel: string): IpcChannelParams {
  if (channel.startsWith(SPY_PREFIX)) {
    throw new ControlProtocolError(ErrorCode.NOT_SUPPORTED, `spy subscriptions (${channel}) are not supported by this IPC-only driver: use Aeron's C or Java media driver`);
  }
  if (!channel.startsWith(IPC_CHANNEL_PREFIX)) {
    if (channel.startsWith('aeron:udp')) {
      throw new ControlProtocolError(
        ErrorCode.NOT_SUPPORTED,
        `channel ${channel}: UDP media is not supported by this IPC-only media driver; run Aeron's C or Java media driver for UDP`,
      );
    }
    throw new ControlProtocolError(ErrorCode.INVALID_CHANNEL, `invalid channel ${channel}: expected aeron:ipc[?params]; other media need Aeron's C or Java media driver`);
  }
  const rest = channel.slice(IPC_CHANNEL_PREFIX.length);
  if (rest !== '' && !rest.startsWith('?')) {
    throw new ControlProtocolError(ErrorCode.INVALID_CHANNEL, `invalid channel ${channel}: unexpected '${rest}' after aeron:ipc`);
  }
  const params = new Map<string, string>();
  if (rest.length > 1) {
    for (const pair of rest.slice(1).split('|')) {
      if (pair === '') continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new ControlProtocolError(ErrorCode.INVALID_CHANNEL, `invalid channel ${channel}: parameter '${pair}' is not key=value`);
      params.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
    }
  }
  for (const p of UNSUPPORTED_PARAMS) {
    if (params.has(p)) throw new ControlProtocolError(ErrorCode.NOT_SUPPORTED, `channel ${channel}: parameter ${p} is not supported by this IPC driver`);
  }
  try {
    const termLengthRaw = params.get('term-length');
    const termLength = termLengthRaw === undefined ? undefined : parseSize('term-length', termLengthRaw);
    if (termLength !== undefined) checkTermLength(termLength, 'term-length');
    const mtuRaw = params.get('mtu');
    const mtu = mtuRaw === undefined ? undefined : parseSize('mtu', mtuRaw);
    const sessionIdRaw = params.get('session-id');
    let sessionId: number | undefined;
    if (sessionIdRaw !== undefined) {
      if (!/^-?\d+$/.test(sessionIdRaw) || Number(sessionIdRaw) !== (Number(sessionIdRaw) | 0)) {
        throw new DriverConfigError(`session-id '${sessionIdRaw}' is not an int32`);
      }
      sessionId = Number(sessionIdRaw);
    }
    const tetherRaw = params.get('tether');
    if (tetherRaw !== undefined && tetherRaw !== 'true' && tetherRaw !== 'false') {
      throw new DriverConfigError(`tether '${tetherRaw}' must be true or false`);
    }
    const lingerRaw = params.get('linger');
    const pubWndRaw = params.get('pub-wnd');
    return {
      channel,
      termLength,
      mtu,
      sessionId,
      tether: tetherRaw !== 'false',
      lingerNs: lingerRaw === undefined ? undefined : parseDurationNs('linger', lingerRaw),
      publicationWindow: pubWndRaw === undefined ? undefined : parseSize('pub-wnd', pubWndRaw),
    };
  } catch (e) {
    if (e instanceof DriverConfigError) throw new ControlProtocolError(ErrorCode.INVALID_CHANNEL, `invalid channel ${channel}: ${e.message}`);
    throw e;
  }
}

/** Validates MTU against the term length actually used. */
export function checkChannelMtu(channel: string, mtu: number, termLength: number): void {
  try {
    checkMtu(mtu, termLength, 'mtu');
  } catch (e) {
    throw new ControlProtocolError(ErrorCode.INVALID_CHANNEL, `invalid channel ${channel}: ${(e as Error).message}`);
  }
}
