import { SOCKET_PATH } from '../shared/channels';

/**
 * The socket the page reads: `?socket=wss://host/path` points it at another server publishing the
 * same channels; by default it is /socket on the page's own host (the demo server, or Vite's proxy).
 */
export function socketTarget(location: Location): { url: string; foreign: boolean } {
  const own = `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}${SOCKET_PATH}`;
  const asked = new URLSearchParams(location.search).get('socket');
  if (asked === null || asked === '') return { url: own, foreign: false };
  return { url: asked, foreign: asked !== own };
}

/**
 * Demo timings. The heartbeat pings after 0.75 s of silence, so between the once-a-second samples
 * the round trip gets measured, and a dead link is found within about 3 s; retries start within 1 s.
 * The defaults (ping after 15 s, 10 s to answer, up to 30 s between attempts) suit real networks.
 */
export const DEMO_CONNECTION_OPTIONS = {
  heartbeat: { intervalMs: 750, timeoutMs: 2_000 },
  reconnect: { initialDelayMs: 1_000, maxDelayMs: 8_000, minStableMs: 3_000 },
} as const;
