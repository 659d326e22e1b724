import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { messageOf } from './describe-error';
import { AuthRejectedError } from './errors';
import { refuseUpgrade } from './http-refusal';
import type { ResolvedServerOptions } from './resolve-options';

/** What the gate needs from the server it guards. */
export interface UpgradeGateHost<P> {
  readonly options: ResolvedServerOptions<P>;
  /** Other upgrade handlers may share the HTTP server (it was given, not created). */
  readonly shared: boolean;
  listenerCount(): number;
  isClosing(): boolean;
  openConnections(): number;
  expiryOf(principal: P): number | undefined;
  /** An upgrade was refused: count it and tell listeners (the response is already on its way). */
  onRefused(request: IncomingMessage, status: number, reason: string): void;
  report(code: string, message: string, cause: unknown): void;
  /** Everything passed: complete the WebSocket handshake. */
  accept(
    request: IncomingMessage,
    socket: Duplex,
    head: Buffer,
    principal: P | undefined,
    authenticated: boolean,
  ): void;
}

type AuthOutcome<P> =
  { readonly principal: P | undefined | null } | { readonly status: number; readonly reason: string };

/**
 * Everything that happens before a WebSocket exists: path, shutdown, connection limit, origin and
 * `authenticate`. A refusal is a plain HTTP status (400, 401, 403, 404, 503), so a client never gets
 * a socket it may not have.
 */
export class UpgradeGate<P> {
  /** Upgrades waiting for `authenticate`: counted against maxConnections, refused at shutdown. */
  private readonly waiting = new Map<Duplex, IncomingMessage>();

  constructor(private readonly host: UpgradeGateHost<P>) {}

  async handle(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const { host } = this;
    const o = host.options;
    if (o.path !== undefined && pathOf(request.url) !== o.path) {
      // Another handler on a shared server may own this path (e.g. a dev server's HMR socket).
      if (host.shared && host.listenerCount() > 1) return;
      socket.on('error', ignore);
      return this.refuse(request, socket, 404, 'no WebSocket endpoint at this path');
    }
    // Clients vanish mid-handshake (and proxies reset them on purpose in tests).
    socket.on('error', ignore);
    if (host.isClosing()) return this.refuse(request, socket, 503, 'server shutting down');
    if ((request.headers.upgrade ?? '').toLowerCase() !== 'websocket') {
      return this.refuse(request, socket, 400, 'expected a WebSocket upgrade');
    }
    if (host.openConnections() + this.waiting.size >= o.maxConnections) {
      return this.refuse(request, socket, 503, 'too many connections');
    }
    if (o.allowOrigin !== undefined && !this.originAllowed(request)) {
      return this.refuse(request, socket, 403, 'origin not allowed');
    }

    let principal: P | undefined;
    let authenticated = o.authenticate === undefined && o.authenticateToken === undefined;
    if (o.authenticate !== undefined) {
      this.waiting.set(socket, request);
      let outcome: AuthOutcome<P>;
      try {
        outcome = await this.authenticate(request);
      } finally {
        this.waiting.delete(socket);
      }
      // Refused by a shutdown meanwhile, or the client gave up.
      if (!socket.writable) return;
      if ('status' in outcome) return this.refuse(request, socket, outcome.status, outcome.reason);
      if (outcome.principal != null) {
        principal = outcome.principal;
        authenticated = true;
        const expiresAt = host.expiryOf(principal);
        if (expiresAt !== undefined && expiresAt <= Date.now()) {
          return this.refuse(request, socket, 401, 'credentials expired');
        }
      } else if (o.authenticateToken === undefined) {
        return this.refuse(request, socket, 401, 'authentication required');
      }
    }
    if (host.isClosing()) return this.refuse(request, socket, 503, 'server shutting down');
    host.accept(request, socket, head, principal, authenticated);
  }

  /** A hanging `authenticate` must not hold a shutdown until `handshakeTimeoutMs`. */
  refuseWaiting(): void {
    for (const [socket, request] of this.waiting) this.refuse(request, socket, 503, 'server shutting down');
    this.waiting.clear();
  }

  private async authenticate(request: IncomingMessage): Promise<AuthOutcome<P>> {
    const o = this.host.options;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<AuthOutcome<P>>((resolve) => {
      timer = setTimeout(() => resolve({ status: 503, reason: 'authentication timed out' }), o.handshakeTimeoutMs);
    });
    try {
      const attempt = (async () => ({ principal: await o.authenticate!(request) }))();
      return await Promise.race([attempt, timeout]);
    } catch (error) {
      if (error instanceof AuthRejectedError) return { status: error.status, reason: error.message };
      return { status: 401, reason: 'authentication failed' };
    } finally {
      clearTimeout(timer);
    }
  }

  private originAllowed(request: IncomingMessage): boolean {
    try {
      return this.host.options.allowOrigin!(request.headers.origin, request) === true;
    } catch (error) {
      this.host.report('hook', `allowOrigins threw: ${messageOf(error)}`, error);
      return false;
    }
  }

  private refuse(request: IncomingMessage, socket: Duplex, status: number, reason: string): void {
    refuseUpgrade(socket, status, reason);
    this.host.onRefused(request, status, reason);
  }
}

function pathOf(url: string | undefined): string {
  if (url === undefined) return '/';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function ignore(): void {}
