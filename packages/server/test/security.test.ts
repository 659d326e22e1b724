import { afterEach, describe, expect, it } from 'vitest';
import { AuthRejectedError, tokenFromRequest } from '../src';
import { coreClient, openRaw, refusedStatus, runCleanups, startServer, subscribe, waitFor } from './helpers';

afterEach(runCleanups);

interface User {
  readonly name: string;
  readonly expiresAt?: number;
}

const USERS: Record<string, User> = { good: { name: 'ada' }, other: { name: 'bob' } };

/** Upgrade-time auth: a token from the subprotocol or Authorization header; 'revoked' is a known but refused token. */
async function startWithUpgradeAuth() {
  const started = await startServer<User>({
    authenticate: (request) => {
      const token = tokenFromRequest(request);
      if (token === 'revoked') throw new AuthRejectedError(403, 'token revoked');
      return token === undefined ? undefined : USERS[token];
    },
  });
  const connections: string[] = [];
  started.server.on('connection', (c) => connections.push(c.principal?.name ?? '?'));
  return { ...started, connections };
}

describe('authentication at the upgrade', () => {
  it('refuses a request without a token with 401, before any WebSocket exists', async () => {
    const { url, server, connections } = await startWithUpgradeAuth();
    const rejected: number[] = [];
    server.on('rejected', (refusal) => rejected.push(refusal.status));
    expect(await refusedStatus(url)).toBe(401);
    expect(connections).toEqual([]);
    expect(rejected).toEqual([401]);
    expect(server.metrics()).toMatchObject({ connections: 0, rejectedUpgrades: 1 });
  });

  it('refuses an unknown token with 401 and a token the hook rejects with 403', async () => {
    const { url, connections } = await startWithUpgradeAuth();
    expect(await refusedStatus(url, { headers: { authorization: 'Bearer nobody' } })).toBe(401);
    expect(await refusedStatus(url, { protocols: ['socketboard.v1', 'socketboard.auth.revoked'] })).toBe(403);
    expect(connections).toEqual([]);
  });

  it('accepts a token in the auth subprotocol or the Authorization header, and never echoes the token', async () => {
    const { url, connections } = await startWithUpgradeAuth();
    const viaProtocol = await openRaw(url, { protocols: ['socketboard.v1', 'socketboard.auth.good'] });
    const viaHeader = await openRaw(url, { headers: { authorization: 'Bearer other' } });
    expect(viaProtocol.ws.protocol).toBe('socketboard.v1');
    expect(connections).toEqual(['ada', 'bob']);
    expect(await subscribe(viaHeader, 'a')).toEqual([{ t: 'subd', ch: 'a', seq: 0, resumed: true }]);
  });

  it('lets the core client in with auth via the subprotocol', async () => {
    const { url, connections } = await startWithUpgradeAuth();
    const client = coreClient(url, { auth: { getToken: () => 'good', via: 'subprotocol' } });
    client.connect();
    await waitFor(() => client.store.getState().status === 'open', 5000, 'open');
    expect(connections).toEqual(['ada']);
  });

  it('refuses with 503 when authenticate does not settle within handshakeTimeoutMs', async () => {
    const { url } = await startServer({ authenticate: () => new Promise(() => {}), handshakeTimeoutMs: 50 });
    expect(await refusedStatus(url)).toBe(503);
  });
});

describe('origin allow-list', () => {
  it('refuses an origin not on the list with 403 and accepts one on it', async () => {
    const { url } = await startServer({ allowOrigins: ['https://app.example'] });
    expect(await refusedStatus(url, { origin: 'https://evil.example' })).toBe(403);
    const ok = await openRaw(url, { origin: 'https://app.example' });
    expect(ok.ws.readyState).toBe(ok.ws.OPEN);
  });

  it('asks a predicate, refusing with 403 when it says no or throws', async () => {
    const { url } = await startServer({
      allowOrigins: (origin) => {
        if (origin === 'https://boom.example') throw new Error('bug');
        return origin?.endsWith('.good.example') === true;
      },
    });
    expect(await refusedStatus(url, { origin: 'https://a.bad.example' })).toBe(403);
    expect(await refusedStatus(url, { origin: 'https://boom.example' })).toBe(403);
    await openRaw(url, { origin: 'https://a.good.example' });
  });
});

describe('in-band auth frame (browsers)', () => {
  const options = {
    authenticateToken: (token: string) => {
      const user = USERS[token];
      if (user === undefined) throw new Error('unknown token');
      return user;
    },
  };

  it('refuses frames other than hello, auth and ping before auth, then serves them after', async () => {
    const { url } = await startServer<User>(options);
    const client = await openRaw(url);
    client.send({ t: 'sub', ch: 'a' });
    client.send({ t: 'pub', ch: 'a', d: 1, id: 'x' });
    expect(await client.next()).toMatchObject({ t: 'err', code: 'unauthenticated', ch: 'a' });
    expect(await client.next()).toMatchObject({ t: 'nack', id: 'x', code: 'unauthenticated' });
    client.send({ t: 'hello' });
    expect(await client.next()).toMatchObject({ t: 'welcome' });
    client.send({ t: 'auth', token: 'good' });
    expect(await subscribe(client, 'a')).toEqual([{ t: 'subd', ch: 'a', seq: 0, resumed: true }]);
  });

  it('closes with 4001 on an invalid token, so the client fetches a fresh one', async () => {
    const { url, server } = await startServer<User>(options);
    const client = await openRaw(url);
    client.send({ t: 'auth', token: 'forged' });
    expect(await client.waitClose()).toMatchObject({ code: 4001 });
    expect(server.metrics().authFailures).toBe(1);
  });

  it('closes with 1008 a connection that never authenticates within authTimeoutMs', async () => {
    const { url } = await startServer<User>({ ...options, authTimeoutMs: 50 });
    const client = await openRaw(url);
    expect((await client.waitClose()).code).toBe(1008);
  });

  it('serves the core client, which sends auth first after every open', async () => {
    const { url, server } = await startServer<User>(options);
    const client = coreClient(url, { auth: () => 'good' });
    const got: unknown[] = [];
    client.subscribe('news', (data) => got.push(data));
    client.connect();
    await waitFor(() => client.channel('news').getState().status === 'subscribed', 5000, 'subscribed');
    await server.publish('news', 'hello');
    await waitFor(() => got.length === 1, 5000, 'the message');
    await expect(client.publish('news', 'mine', { ack: true })).resolves.toMatchObject({ channel: 'news' });
  });

  it('closes with 4001 when the principal expires, and the core client reauthenticates with a fresh token', async () => {
    let issued = 0;
    const tokens = new Map<string, User>();
    const { url } = await startServer<User>({
      authenticateToken: (token) => tokens.get(token) ?? Promise.reject(new Error('unknown')),
      principalExpiresAt: (user) => user.expiresAt,
    });
    const reasons: string[] = [];
    const client = coreClient(url, {
      auth: (context) => {
        reasons.push(context.reason);
        const token = `t${++issued}`;
        // The first token lives 100 ms, the next ones an hour.
        tokens.set(token, { name: 'ada', expiresAt: Date.now() + (issued === 1 ? 100 : 3_600_000) });
        return token;
      },
    });
    client.connect();
    await waitFor(() => reasons.length >= 2 && client.store.getState().status === 'open', 5000, 'a reauth');
    expect(client.store.getState().lastClose?.code).toBe(4001);
    expect(reasons.slice(0, 2)).toEqual(['connect', 'reauth']);
  });
});

describe('authorization', () => {
  const authorize = (user: User | undefined, channel: string, action: string) =>
    channel.startsWith(`private:${user?.name}`) ||
    (channel === 'public' && action === 'subscribe') ||
    channel === 'open';

  it('refuses a subscription the principal may not read with err forbidden, and leaks none of its data', async () => {
    const { url, server } = await startServer<User>({
      authenticate: (request) => USERS[tokenFromRequest(request) ?? ''],
      authorize,
    });
    const bob = await openRaw(url, { headers: { authorization: 'Bearer other' } });
    expect(await subscribe(bob, 'private:ada')).toEqual([
      { t: 'err', code: 'forbidden', reason: 'may not subscribe to "private:ada"', ch: 'private:ada' },
    ]);
    await server.publish('private:ada', 'secret');
    await subscribe(bob, 'open');
    await server.publish('open', 'marker');
    await bob.next((f) => f.t === 'msg' && f.d === 'marker', 'the marker');
    expect(JSON.stringify(bob.frames)).not.toContain('secret');
  });

  it('puts the core client’s channel into error with the server’s reason', async () => {
    const { url } = await startServer<User>({ authenticate: () => USERS.other, authorize });
    const client = coreClient(url);
    client.subscribe('private:ada', () => {});
    client.connect();
    await waitFor(() => client.channel('private:ada').getState().status === 'error', 5000, 'the refusal');
    expect(client.channel('private:ada').getState().error).toMatchObject({ code: 'forbidden' });
  });

  it('nacks a publish the principal may not make, and delivers nothing', async () => {
    const { url, server } = await startServer<User>({ authenticate: () => USERS.other, authorize });
    const client = await openRaw(url);
    await subscribe(client, 'public');
    client.send({ t: 'pub', ch: 'public', d: 'graffiti', id: 'x' });
    expect(await client.next()).toMatchObject({ t: 'nack', id: 'x', code: 'forbidden' });
    expect(server.metrics().published).toBe(0);
  });
});

describe('limits', () => {
  it('acks within the rate limit, nacks a flood beyond it, then closes with 1008', async () => {
    const { url, server } = await startServer({ rateLimit: { messagesPerSecond: 1, burst: 5, closeAfter: 20 } });
    const client = await openRaw(url);
    for (let i = 0; i < 5; i++) client.send({ t: 'pub', ch: 'flood', d: i, id: `ok${i}` });
    await waitFor(() => client.frames.length === 5, 5000, 'five acks');
    expect(client.frames.every((f) => f.t === 'ack')).toBe(true);

    for (let i = 0; i < 200; i++) client.send({ t: 'pub', ch: 'flood', d: i, id: `m${i}` });
    const close = await client.waitClose();
    expect(close).toMatchObject({ code: 1008, reason: 'rate limit exceeded' });
    const answers = client.frames.slice(5);
    const nacks = answers.filter((f) => f.t === 'nack' && f.code === 'rate-limited');
    // At most one token refilled meanwhile; every other frame was refused on arrival.
    expect(nacks.length).toBeGreaterThan(20);
    expect(answers.length - nacks.length).toBeLessThanOrEqual(1);
    expect(server.metrics()).toMatchObject({ policyCloses: 1, rateLimited: nacks.length });
  });

  it('closes an oversize frame with 1009 and counts it', async () => {
    const { url, server } = await startServer({ maxPayload: 1024 });
    const client = await openRaw(url);
    client.send({ t: 'pub', ch: 'a', d: 'x'.repeat(2048) });
    expect((await client.waitClose()).code).toBe(1009);
    await waitFor(() => server.metrics().oversizeFrames === 1, 2000, 'the count');
  });

  it('refuses connections over maxConnections with 503', async () => {
    const { url } = await startServer({ maxConnections: 1 });
    await openRaw(url);
    expect(await refusedStatus(url)).toBe(503);
  });
});
