import type { IncomingMessage } from 'node:http';

/** The subprotocol prefix the core client uses with `auth: { via: 'subprotocol' }`. */
export const AUTH_SUBPROTOCOL_PREFIX = 'socketboard.auth.';

export interface TokenSources {
  /** Read the token from this cookie too (last resort). Default: cookies are not read. */
  cookie?: string;
  /** Prefix of the token subprotocol. Default `'socketboard.auth.'`. */
  subprotocolPrefix?: string;
}

/**
 * The token an upgrade request carries, for use inside `authenticate`: the subprotocol
 * `socketboard.auth.<token>` first (what the core client sends with `via: 'subprotocol'`), then
 * `Authorization: Bearer <token>`, then the named cookie. `undefined` when there is none.
 */
export function tokenFromRequest(request: IncomingMessage, sources: TokenSources = {}): string | undefined {
  const prefix = sources.subprotocolPrefix ?? AUTH_SUBPROTOCOL_PREFIX;
  const offered = request.headers['sec-websocket-protocol'];
  if (typeof offered === 'string') {
    for (const part of offered.split(',')) {
      const protocol = part.trim();
      if (protocol.startsWith(prefix) && protocol.length > prefix.length) return protocol.slice(prefix.length);
    }
  }
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match !== null) return match[1];
  }
  if (sources.cookie !== undefined) return readCookie(request.headers.cookie, sources.cookie);
  return undefined;
}

function readCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  for (const pair of header.split(';')) {
    const eq = pair.indexOf('=');
    if (eq === -1 || pair.slice(0, eq).trim() !== name) continue;
    let value = pair.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (value.length === 0) return undefined;
    try {
      return decodeURIComponent(value);
    } catch {
      return value;
    }
  }
  return undefined;
}
