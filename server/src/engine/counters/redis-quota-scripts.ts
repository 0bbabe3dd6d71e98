/**
 * Lua for the Redis quota counters. Redis Lua numbers are doubles, exact only below 2^53 (9 million USD in
 * nano-USD), so amounts travel as decimal strings and the arithmetic uses two limbs of 15 digits each: exact up to
 * 10^30. Per counter: a hash {u = used, h = held} and a sorted set of holds ("<reservation>|<amount>", scored by
 * when the hold lapses). A reservation record (JSON) lists its counters so settle and release find them.
 *
 * The scripts name the counters they touch in KEYS at reserve; settle and release read them from the record, which
 * is fine on a standalone Redis (a cluster would need the keys in one hash slot).
 */
const ARITHMETIC = `
local BASE = 1000000000000000
local function parse(text)
  if not text or text == '' then return {0, 0} end
  local length = #text
  if length <= 15 then return {0, tonumber(text)} end
  return {tonumber(string.sub(text, 1, length - 15)), tonumber(string.sub(text, length - 14))}
end
local function format(value)
  if value[1] == 0 then return string.format('%.0f', value[2]) end
  return string.format('%.0f', value[1]) .. string.format('%015.0f', value[2])
end
local function add(a, b)
  local high, low = a[1] + b[1], a[2] + b[2]
  if low >= BASE then low = low - BASE; high = high + 1 end
  return {high, low}
end
local function subtract(a, b)
  local high, low = a[1] - b[1], a[2] - b[2]
  if low < 0 then low = low + BASE; high = high - 1 end
  if high < 0 then return {0, 0} end
  return {high, low}
end
local function greater(a, b)
  if a[1] ~= b[1] then return a[1] > b[1] end
  return a[2] > b[2]
end
local function drop_lapsed_holds(counter, holds, now)
  local keep = redis.call('HGET', counter, 'x')
  if keep and tonumber(keep) <= now then
    redis.call('DEL', counter, holds)
    return
  end
  local lapsed = redis.call('ZRANGEBYSCORE', holds, '-inf', now)
  if #lapsed == 0 then return end
  local held = parse(redis.call('HGET', counter, 'h'))
  for _, member in ipairs(lapsed) do held = subtract(held, parse(string.match(member, '|(%d+)$'))) end
  redis.call('HSET', counter, 'h', format(held))
  redis.call('ZREMRANGEBYSCORE', holds, '-inf', now)
end
-- The caller's clock decides when a counter is over (field x, checked above), so a frozen test clock and
-- Redis agree; the TTL, on Redis's clock, only reclaims the memory.
local function keep_until(counter, holds, now, until_ms)
  local keep = tonumber(redis.call('HGET', counter, 'x') or '0')
  local raised = until_ms > keep
  if raised then
    keep = until_ms
    redis.call('HSET', counter, 'x', string.format('%.0f', keep))
  end
  local ttl = keep - now
  if ttl < 1000 then ttl = 1000 end
  if raised then redis.call('PEXPIRE', counter, ttl) end
  -- A holds set made after the counter (its first hold) has no TTL yet.
  if raised or redis.call('PTTL', holds) == -1 then redis.call('PEXPIRE', holds, ttl) end
end
`;

/**
 * KEYS: record, then counter hash and holds set per item. ARGV: now, holdUntil, recordUntil, reservationId, n,
 * then per item: amount, limit, hard (1/0), unit, keepUntil, counter name. Answers {admitted (1/0), refused index (1-based, 0
 * when admitted), used1, held1, used2, held2, …}.
 */
export const RESERVE_SCRIPT = `${ARITHMETIC}
local now = tonumber(ARGV[1])
local hold_until = ARGV[2]
local record_until = tonumber(ARGV[3])
local reservation = ARGV[4]
local count = tonumber(ARGV[5])
local used, held, amounts = {}, {}, {}
local refused = 0
for index = 1, count do
  local base = 5 + (index - 1) * 6
  local counter, holds = KEYS[index * 2], KEYS[index * 2 + 1]
  drop_lapsed_holds(counter, holds, now)
  used[index] = parse(redis.call('HGET', counter, 'u'))
  held[index] = parse(redis.call('HGET', counter, 'h'))
  amounts[index] = parse(ARGV[base + 1])
  if refused == 0 and ARGV[base + 3] == '1' then
    local needed = amounts[index]
    if needed[1] == 0 and needed[2] == 0 then needed = {0, 1} end
    if greater(add(add(used[index], held[index]), needed), parse(ARGV[base + 2])) then refused = index end
  end
end
local answer = {refused == 0 and 1 or 0, refused}
if refused == 0 then
  local items = {}
  for index = 1, count do
    local base = 5 + (index - 1) * 6
    local counter, holds = KEYS[index * 2], KEYS[index * 2 + 1]
    held[index] = add(held[index], amounts[index])
    redis.call('HSET', counter, 'h', format(held[index]))
    redis.call('ZADD', holds, hold_until, reservation .. '|' .. ARGV[base + 1])
    keep_until(counter, holds, now, tonumber(ARGV[base + 5]))
    items[index] = {c = counter, z = holds, a = ARGV[base + 1], l = ARGV[base + 2], u = ARGV[base + 4], k = ARGV[base + 5], n = ARGV[base + 6]}
  end
  redis.call('SET', KEYS[1], cjson.encode({s = 'held', h = hold_until, r = ARGV[3], i = items}), 'PX', record_until - now)
end
for index = 1, count do
  table.insert(answer, format(used[index]))
  table.insert(answer, format(held[index]))
end
return answer
`;

/**
 * KEYS: record. ARGV: now, mode ("settle" or "release"), reservationId, forget (1: delete the record once settled or
 * released, 0: keep it for the settle window), number of actual figures, then unit/amount pairs, then the number of
 * fallback items and per item: counter, holds, amount, limit, keepUntil, counter name.
 * Answers {status, name1, limit1, used1, held1, …}; status is settled, expired, released, already_settled or
 * unknown.
 */
export const SETTLE_SCRIPT = `${ARITHMETIC}
local now = tonumber(ARGV[1])
local mode = ARGV[2]
local reservation = ARGV[3]
local forget = ARGV[4] == '1'
local figures = tonumber(ARGV[5])
local actual = {}
for index = 1, figures do actual[ARGV[4 + index * 2]] = ARGV[5 + index * 2] end
local answer = {}
local raw = redis.call('GET', KEYS[1])
local record = raw and cjson.decode(raw)
if record and tonumber(record.r) <= now then record = nil end
if not record then
  if mode ~= 'settle' then return {'unknown'} end
  answer[1] = 'unknown'
  local fallback_base = 6 + figures * 2
  local fallbacks = tonumber(ARGV[fallback_base])
  for index = 1, fallbacks do
    local base = fallback_base + (index - 1) * 6
    local counter, holds = ARGV[base + 1], ARGV[base + 2]
    drop_lapsed_holds(counter, holds, now)
    local used = add(parse(redis.call('HGET', counter, 'u')), parse(ARGV[base + 3]))
    redis.call('HSET', counter, 'u', format(used))
    keep_until(counter, holds, now, tonumber(ARGV[base + 5]))
    table.insert(answer, ARGV[base + 6])
    table.insert(answer, ARGV[base + 4])
    table.insert(answer, format(used))
    table.insert(answer, redis.call('HGET', counter, 'h') or '0')
  end
  return answer
end
if record.s ~= 'held' then return {'already_settled'} end
local lapsed = tonumber(record.h) <= now
for _, item in ipairs(record.i) do
  drop_lapsed_holds(item.c, item.z, now)
  local held = parse(redis.call('HGET', item.c, 'h'))
  if redis.call('ZREM', item.z, reservation .. '|' .. item.a) == 1 then
    held = subtract(held, parse(item.a))
    redis.call('HSET', item.c, 'h', format(held))
  end
  local used = parse(redis.call('HGET', item.c, 'u'))
  if mode == 'settle' then
    used = add(used, parse(actual[item.u] or item.a))
    redis.call('HSET', item.c, 'u', format(used))
  end
  keep_until(item.c, item.z, now, tonumber(item.k))
  table.insert(answer, item.n)
  table.insert(answer, item.l)
  table.insert(answer, format(used))
  table.insert(answer, format(held))
end
record.s = mode == 'settle' and 'settled' or 'released'
if forget then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], cjson.encode(record), 'KEEPTTL')
end
if lapsed then table.insert(answer, 1, 'expired') else table.insert(answer, 1, mode == 'settle' and 'settled' or 'released') end
return answer
`;

/** KEYS: counter hash and holds set per item. ARGV: now. Answers {used1, held1, …} after dropping lapsed holds. */
export const READ_SCRIPT = `${ARITHMETIC}
local now = tonumber(ARGV[1])
local answer = {}
for index = 1, #KEYS / 2 do
  local counter, holds = KEYS[index * 2 - 1], KEYS[index * 2]
  drop_lapsed_holds(counter, holds, now)
  table.insert(answer, redis.call('HGET', counter, 'u') or '0')
  table.insert(answer, redis.call('HGET', counter, 'h') or '0')
end
return answer
`;
