import { CHANNELS } from './board';
import type { Payload } from './board';
import { setReceivedCounter } from './probe';

/**
 * A plain WebSocket subscribed to every board channel: parses each frame, counts the data messages for
 * the probe and hands them to `onData`. The naive provider and the ws-only calibration both use it, so
 * the calibration measures exactly the naive variant's socket and parsing, without React.
 */
export function openBoardSocket(url: string, onData: (ch: string, data: Payload) => void): WebSocket {
  let received = 0;
  setReceivedCounter(() => received);
  const ws = new WebSocket(url);
  ws.onopen = () => {
    for (const ch of CHANNELS) ws.send(JSON.stringify({ t: 'sub', ch }));
  };
  ws.onmessage = (event: MessageEvent<string>) => {
    const msg = JSON.parse(event.data) as { t: string; ch: string; d: Payload };
    if (msg.t !== 'msg') return;
    received++;
    onData(msg.ch, msg.d);
  };
  return ws;
}
