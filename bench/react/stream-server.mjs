import { performance } from 'node:perf_hooks';
import { WebSocketServer } from 'ws';

/** Bursts go out this often; each carries however many messages the rate owes since the start. */
export const BATCH_MS = 5;

/**
 * A protocol-v1 feed on 127.0.0.1: answers `hello`, `sub`, `unsub` and `ping`, and streams `msg`
 * frames on demand to whichever clients subscribed to each channel. `seq` is per channel and keeps
 * increasing across runs, as a real server's would.
 *
 * With `batch` (the default, as @socketboard/server does), the frames of one burst go to a client as
 * one WebSocket message holding a JSON array of them (PROTOCOL.md, batches), a lone frame as itself;
 * without, one WebSocket message per frame.
 */
export async function startStreamServer(channels, { batch = true } = {}) {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  await new Promise((resolve, reject) => {
    wss.once('listening', resolve);
    wss.once('error', reject);
  });
  /** @type {Map<import('ws').WebSocket, Set<string>>} */
  const clients = new Map();
  const seq = new Map(channels.map((ch) => [ch, 0]));
  const last = new Map();

  wss.on('connection', (ws) => {
    const subs = new Set();
    clients.set(ws, subs);
    ws.on('error', () => {});
    ws.on('close', () => clients.delete(ws));
    ws.on('message', (raw) => {
      let frame;
      try {
        frame = JSON.parse(String(raw));
      } catch {
        return;
      }
      switch (frame?.t) {
        case 'hello':
          ws.send('{"t":"welcome","sid":"x","resumed":false}');
          break;
        case 'sub':
          subs.add(frame.ch);
          ws.send(JSON.stringify({ t: 'subd', ch: frame.ch, seq: seq.get(frame.ch) ?? 0, resumed: true }));
          break;
        case 'unsub':
          subs.delete(frame.ch);
          break;
        case 'ping':
          ws.send(JSON.stringify({ t: 'pong', ts: frame.ts }));
          break;
      }
    });
  });

  let nextChannel = 0;
  /** Batching: each client's frames of the current burst, sent by `flush()`. */
  const pending = new Map();
  const send = (ch, v) => {
    const s = seq.get(ch) + 1;
    seq.set(ch, s);
    last.set(ch, v);
    const frame = `{"t":"msg","ch":"${ch}","seq":${s},"d":{"v":${v},"ts":${Date.now()}}}`;
    for (const [ws, subs] of clients) {
      if (!subs.has(ch)) continue;
      if (!batch) {
        ws.send(frame);
        continue;
      }
      const frames = pending.get(ws);
      if (frames === undefined) pending.set(ws, [frame]);
      else frames.push(frame);
    }
  };
  const flush = () => {
    for (const [ws, frames] of pending) ws.send(frames.length === 1 ? frames[0] : `[${frames.join(',')}]`);
    pending.clear();
  };
  const randomValue = () => Math.round(Math.random() * 10_000) / 100;

  const waitFor = async (predicate, timeoutMs, what) => {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`stream server: timed out after ${timeoutMs} ms waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  return {
    url: `ws://127.0.0.1:${wss.address().port}`,
    /** Resolves once a client is subscribed to every channel of `wanted`. */
    waitForSubscriber: (wanted, timeoutMs) =>
      waitFor(
        () => [...clients.values()].some((subs) => wanted.every((ch) => subs.has(ch))),
        timeoutMs,
        `a page subscribed to ${wanted.join(', ')}`,
      ),
    waitForNoClients: (timeoutMs) => waitFor(() => clients.size === 0, timeoutMs, 'the previous page to disconnect'),
    /**
     * Streams `rate` messages/s round-robin over the channels until `stop()`, which sends one last,
     * different value per channel and returns what was sent.
     */
    stream(rate) {
      const startedAt = performance.now();
      let sent = 0;
      let maxBufferedBytes = 0;
      let timer;
      const tick = () => {
        const due = Math.floor((rate * (performance.now() - startedAt)) / 1000) - sent;
        // One TCP write per burst rather than one per frame, as a busy server's socket would coalesce them.
        for (const ws of clients.keys()) ws._socket?.cork();
        for (let i = 0; i < due; i++) {
          send(channels[nextChannel], randomValue());
          nextChannel = (nextChannel + 1) % channels.length;
        }
        flush();
        for (const ws of clients.keys()) ws._socket?.uncork();
        sent += Math.max(due, 0);
        for (const ws of clients.keys()) maxBufferedBytes = Math.max(maxBufferedBytes, ws.bufferedAmount);
        timer = setTimeout(tick, BATCH_MS);
      };
      timer = setTimeout(tick, BATCH_MS);
      return {
        stop() {
          clearTimeout(timer);
          const elapsedMs = performance.now() - startedAt;
          const finalValues = {};
          for (const ch of channels) {
            let v = randomValue();
            while (v === last.get(ch)) v = randomValue();
            send(ch, v);
            finalValues[ch] = v;
          }
          flush();
          return { sent, elapsedMs, perSec: (sent / elapsedMs) * 1000, maxBufferedBytes, finalValues };
        },
      };
    },
    close: () =>
      new Promise((resolve) => {
        for (const ws of clients.keys()) ws.terminate();
        wss.close(() => resolve());
      }),
  };
}
