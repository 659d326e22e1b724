import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';

/**
 * The broker's Lua scripts. Each runs atomically in Redis, so a publish's seq, its place in the
 * replay log and its pub/sub fan-out happen in one step: every node sees a channel's messages in
 * seq order, and a replay never misses one that was fanned out. Times come from Redis (`TIME`),
 * never from a node's clock.
 */
export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const NOW_MS = `local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)`;

/**
 * KEYS: seq, log. ARGV: payload, maxlen (0: no log), log TTL ms, pub/sub channel.
 * Stream ids are `<seq>-0`, so the log is read by seq directly. A fresh counter (seq 1, e.g. its key
 * was lost) starts a fresh log; an XADD refused for an id below the top does the same.
 * Returns the seq.
 */
export const PUBLISH = script(`local seq = redis.call('INCR', KEYS[1])
local id = string.format('%d-0', seq)
if tonumber(ARGV[2]) > 0 then
  ${NOW_MS}
  if seq == 1 then redis.call('DEL', KEYS[2]) end
  local added = redis.pcall('XADD', KEYS[2], 'MAXLEN', ARGV[2], id, 'd', ARGV[1], 't', now)
  if type(added) == 'table' and added.err then
    redis.call('DEL', KEYS[2])
    redis.call('XADD', KEYS[2], 'MAXLEN', ARGV[2], id, 'd', ARGV[1], 't', now)
  end
  redis.call('PEXPIRE', KEYS[2], ARGV[3])
end
redis.call('PUBLISH', ARGV[4], string.format('%d', seq) .. ':' .. ARGV[1])
return seq`);

/**
 * KEYS: seq, log. ARGV: since (-1: none). Returns {current seq, now ms, entries after since}, read
 * together so that every seq up to the current one is either in the entries or gone from the log.
 */
export const READ = script(`local seq = tonumber(redis.call('GET', KEYS[1]) or '0')
local since = tonumber(ARGV[1])
${NOW_MS}
if since < 0 or since >= seq then return {seq, now, {}} end
return {seq, now, redis.call('XRANGE', KEYS[2], string.format('%d-0', since + 1), '+')}`);

/**
 * KEYS: session, ids, order. ARGV: TTL ms, create ('1' or '0'). Restarts the session's TTL;
 * creates it when missing if asked. Returns 1 when the session exists afterwards, else 0.
 */
export const TOUCH_SESSION = script(`if redis.call('PEXPIRE', KEYS[1], ARGV[1]) == 0 then
  if ARGV[2] ~= '1' then return 0 end
  redis.call('SET', KEYS[1], '1', 'PX', ARGV[1])
end
redis.call('PEXPIRE', KEYS[2], ARGV[1])
redis.call('PEXPIRE', KEYS[3], ARGV[1])
return 1`);

/**
 * KEYS: session, ids. ARGV: id, claim token, lease ms, TTL ms.
 * An id is absent, `a` (accepted), or `p:<token>:<deadline>` (claimed, settling). A claim whose
 * lease ran out (its node died mid-publish) passes to the next claimant.
 * Returns 'unknown' (no such session), 'new' (claimed), 'accepted' or 'wait'.
 */
export const CLAIM = script(`if redis.call('EXISTS', KEYS[1]) == 0 then return 'unknown' end
local v = redis.call('HGET', KEYS[2], ARGV[1])
if v == 'a' then return 'accepted' end
${NOW_MS}
if v then
  local deadline = tonumber(string.match(v, ':(%d+)$'))
  if deadline and deadline > now then return 'wait' end
end
redis.call('HSET', KEYS[2], ARGV[1], 'p:' .. ARGV[2] .. ':' .. string.format('%d', now + tonumber(ARGV[3])))
redis.call('PEXPIRE', KEYS[2], ARGV[4])
return 'new'`);

/**
 * KEYS: ids, order. ARGV: id, claim token, accepted ('1' or '0'), window, TTL ms.
 * Only the holder of the claim settles it. Accepted ids are remembered in acceptance order and
 * the oldest forgotten past the window; a refused id is forgotten at once. Returns 1 if settled.
 */
export const SETTLE = script(`local v = redis.call('HGET', KEYS[1], ARGV[1])
local mine = 'p:' .. ARGV[2] .. ':'
if not v or string.sub(v, 1, #mine) ~= mine then return 0 end
if ARGV[3] == '1' then
  redis.call('HSET', KEYS[1], ARGV[1], 'a')
  local n = redis.call('RPUSH', KEYS[2], ARGV[1])
  local window = tonumber(ARGV[4])
  while n > window do
    local old = redis.call('LPOP', KEYS[2])
    if redis.call('HGET', KEYS[1], old) == 'a' then redis.call('HDEL', KEYS[1], old) end
    n = n - 1
  end
  redis.call('PEXPIRE', KEYS[2], ARGV[5])
else
  redis.call('HDEL', KEYS[1], ARGV[1])
end
redis.call('PEXPIRE', KEYS[1], ARGV[5])
return 1`);

/**
 * Runs a script by its SHA, loading it on NOSCRIPT (first use, or a Redis that restarted and lost
 * its script cache).
 */
export async function runScript(
  client: Redis,
  lua: LuaScript,
  keys: readonly string[],
  args: ReadonlyArray<string | number>,
): Promise<unknown> {
  try {
    return await client.evalsha(lua.sha, keys.length, ...keys, ...args);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return client.eval(lua.source, keys.length, ...keys, ...args);
  }
}
