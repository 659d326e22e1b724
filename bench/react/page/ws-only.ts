import { CHANNELS } from './board';
import type { Payload } from './board';
import { recordLatency, setReceivedCounter } from './probe';

/**
 * The calibration variant: no React and nothing rendered, only a socket that parses each message and
 * records its latency on arrival. It shows what this browser and machine can take in at a rate, so a
 * miss of the React variants can be told apart from a transport ceiling.
 */
export function startWsOnly(url: string): void {
  let received = 0;
  setReceivedCounter(() => received);
  const ws = new WebSocket(url);
  ws.onopen = () => {
    for (const ch of CHANNELS) ws.send(JSON.stringify({ t: 'sub', ch }));
  };
  ws.onmessage = (event: MessageEvent<string>) => {
    const msg = JSON.parse(event.data) as { t: string; d: Payload };
    if (msg.t !== 'msg') return;
    received++;
    recordLatency(msg.d.ts);
  };
}
