import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { tokenFromRequest } from './token';

function request(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

describe('tokenFromRequest', () => {
  it('reads the socketboard.auth.<token> subprotocol first', () => {
    const req = request({
      'sec-websocket-protocol': 'socketboard.v1, socketboard.auth.abc',
      authorization: 'Bearer zzz',
    });
    expect(tokenFromRequest(req)).toBe('abc');
  });

  it('reads a Bearer Authorization header', () => {
    expect(tokenFromRequest(request({ authorization: 'Bearer t0k.en' }))).toBe('t0k.en');
    expect(tokenFromRequest(request({ authorization: 'Basic abc' }))).toBeUndefined();
  });

  it('reads the named cookie only when asked to', () => {
    const req = request({ cookie: 'a=1; session=s%20id; b=2' });
    expect(tokenFromRequest(req)).toBeUndefined();
    expect(tokenFromRequest(req, { cookie: 'session' })).toBe('s id');
    expect(tokenFromRequest(req, { cookie: 'missing' })).toBeUndefined();
  });

  it('honours a custom subprotocol prefix and ignores an empty token', () => {
    expect(tokenFromRequest(request({ 'sec-websocket-protocol': 'x.tok.abc' }), { subprotocolPrefix: 'x.tok.' })).toBe(
      'abc',
    );
    expect(tokenFromRequest(request({ 'sec-websocket-protocol': 'socketboard.auth.' }))).toBeUndefined();
  });
});
