import { describe, expect, it } from 'vitest';
import { rawJsonProtocol, socketboardProtocol } from '@socketboard/core';
import type { ConnectionOptions } from '@socketboard/core';
import { fakeServer, inertSignals } from '../test/fake-socket';
import { createProviderConnection, restartKey } from './provider-connection';

describe('restartKey', () => {
  it('changes with a string url, the protocols by value and the wire protocol by name only', () => {
    const base = restartKey({ url: 'ws://a', protocols: ['x', 'y'], protocol: socketboardProtocol() });
    expect(restartKey({ url: 'ws://a', protocols: ['x', 'y'], protocol: socketboardProtocol() })).toBe(base);
    expect(restartKey({ url: 'ws://b', protocols: ['x', 'y'], protocol: socketboardProtocol() })).not.toBe(base);
    expect(restartKey({ url: 'ws://a', protocols: ['x'], protocol: socketboardProtocol() })).not.toBe(base);
    expect(
      restartKey({ url: 'ws://a', protocols: ['x', 'y'], protocol: rawJsonProtocol({ channelOf: () => 'c' }) }),
    ).not.toBe(base);
  });

  it('does not change when a url function is replaced by another', () => {
    expect(restartKey({ url: () => 'ws://a' })).toBe(restartKey({ url: () => 'ws://b' }));
  });
});

describe('createProviderConnection', () => {
  it('calls the latest url function and token getter on each attempt', async () => {
    const server = fakeServer();
    const initial: ConnectionOptions = {
      url: () => 'ws://one',
      auth: () => 'token-one',
      WebSocket: server.WebSocket,
      signals: inertSignals,
      heartbeat: false,
    };
    let latest: ConnectionOptions = initial;
    const connection = createProviderConnection(initial, () => latest);
    latest = { ...initial, url: () => Promise.resolve('ws://two'), auth: { getToken: () => 'token-two' } };
    connection.connect();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const socket = server.last();
    expect(socket.url).toBe('ws://two');
    socket.open();
    expect(socket.framesOf('auth')).toEqual([{ t: 'auth', token: 'token-two' }]);
    connection.close();
  });

  it('falls back to the first callbacks when later props drop them', async () => {
    const server = fakeServer();
    const initial: ConnectionOptions = {
      url: () => 'ws://one',
      auth: () => 'token-one',
      WebSocket: server.WebSocket,
      signals: inertSignals,
      heartbeat: false,
    };
    const connection = createProviderConnection(initial, () => ({ url: 'ws://ignored' }));
    connection.connect();
    await new Promise((resolve) => setTimeout(resolve, 0));
    const socket = server.last();
    expect(socket.url).toBe('ws://one');
    socket.open();
    expect(socket.framesOf('auth')).toEqual([{ t: 'auth', token: 'token-one' }]);
    connection.close();
  });

  it('asks the latest classifyClose what a close code means', () => {
    const server = fakeServer();
    const initial: ConnectionOptions = {
      url: 'ws://one',
      WebSocket: server.WebSocket,
      signals: inertSignals,
      heartbeat: false,
      reconnect: { classifyClose: () => 'retry' },
    };
    const connection = createProviderConnection(initial, () => ({
      ...initial,
      reconnect: { classifyClose: () => 'stop' },
    }));
    connection.connect();
    server.last().open();
    server.last().onclose?.({ code: 1012, reason: '', wasClean: true });
    expect(connection.store.getState().status).toBe('failed');
    connection.close();
  });
});
