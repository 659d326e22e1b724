const NAMES: Record<number, string> = {
  1000: 'normal closure',
  1001: 'going away',
  1005: 'no status',
  1006: 'abnormal closure, no close frame',
  1008: 'policy violation',
  1009: 'message too big',
  1011: 'server error',
  1012: 'service restart',
  1013: 'try again later',
  4000: 'client reconnecting',
  4001: 'authentication expired',
};

/** "1012 service restart", with the reason when the peer gave one. */
export function describeClose(code: number, reason: string): string {
  const name = reason !== '' ? reason : NAMES[code];
  return name === undefined ? String(code) : `${code} ${name}`;
}
