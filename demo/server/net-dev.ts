import { readFile } from 'node:fs/promises';

/** Cumulative byte counters from /proc/net/dev: every interface but loopback, and loopback. */
export interface NetTotals {
  readonly rx: number;
  readonly tx: number;
  readonly loRx: number;
  readonly loTx: number;
}

/**
 * Parses /proc/net/dev: two header lines, then `iface: rx_bytes rx_packets … (8 rx fields) tx_bytes …`.
 * Loopback is kept apart: on a laptop it is mostly this demo talking to itself.
 */
export function parseNetDev(text: string): NetTotals {
  let rx = 0;
  let tx = 0;
  let loRx = 0;
  let loTx = 0;
  for (const line of text.split('\n').slice(2)) {
    const colon = line.indexOf(':');
    if (colon < 0) continue;
    const name = line.slice(0, colon).trim();
    const fields = line
      .slice(colon + 1)
      .trim()
      .split(/\s+/)
      .map(Number);
    const inBytes = fields[0];
    const outBytes = fields[8];
    if (inBytes === undefined || outBytes === undefined || Number.isNaN(inBytes) || Number.isNaN(outBytes)) continue;
    if (name === 'lo') {
      loRx += inBytes;
      loTx += outBytes;
    } else {
      rx += inBytes;
      tx += outBytes;
    }
  }
  return { rx, tx, loRx, loTx };
}

/** The counters now, or undefined where there is no /proc/net/dev (macOS, Windows). */
export async function readNetTotals(path = '/proc/net/dev'): Promise<NetTotals | undefined> {
  try {
    return parseNetDev(await readFile(path, 'utf8'));
  } catch {
    return undefined;
  }
}
