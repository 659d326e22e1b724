import { CHANNELS } from './board';
import type { Payload } from './board';
import { setReceivedCounter } from './probe';

type Frame = { t: string; ch: string; d: Payload };

/**
 * A plain WebSocket subscribed to every board channel: parses each WebSocket message, unpacks a batch
 * (a JSON array of frames, PROTOCOL.md) frame by frame, counts the data messages for the probe and hands
 * each to `onData`. The naive provider and the ws-only calibration both use it, so the calibration
 * measures exactly the naive variant's socket and parsing, without React.
 */
export function openBoardSocket(url: string, onData: (ch: string, data: Payload) => void): WebSocket {
  let received = 0;
  setReceivedCounter(() => received);
  const ws = new WebSocket(url);
  ws.onopen = () => {
    for (const ch of CHANNELS) ws.send(JSON.stringify({ t: 'sub', ch }));
  };
  const onFrame = (frame: Frame) => {
    if (frame.t !== 'msg') return;
    received++;
    onData(frame.ch, frame.d);
  };
  ws.onmessage = (event: MessageEvent<string>) => {
    const parsed = JSON.parse(event.data) as Frame | Frame[];
    if (Array.isArray(parsed)) for (const frame of parsed) onFrame(frame);
    else onFrame(parsed);
  };
  return ws;
}
