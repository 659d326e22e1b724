import { openBoardSocket } from './board-socket';
import { recordLatency } from './probe';

/**
 * The calibration variant: no React and nothing rendered, only a socket that parses each message and
 * records its latency on arrival. It shows what this browser and machine can take in at a rate, so a
 * miss of the React variants can be told apart from a transport ceiling.
 */
export function startWsOnly(url: string): void {
  openBoardSocket(url, (_ch, data) => recordLatency(data.ts));
}
