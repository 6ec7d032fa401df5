/**
 * The Lua scripts behind DocumentState: each status change is one script, so it is atomic with its
 * guard (the compare-and-set on stage, status and owner) and with the counters and indexes it keeps.
 * Hash values are JSON (a status is stored as `"queued"`), so ARGV values come JSON-encoded too.
 * Counters: KEYS stats = status -> number of documents; failures = error code -> final failures.
 */
const SET_STATUS = `
local function setStatus(key, stats, new)
  local old = redis.call('HGET', key, 'status')
  if old ~= new then
    if old then redis.call('HINCRBY', stats, cjson.decode(old), -1) end
    redis.call('HINCRBY', stats, cjson.decode(new), 1)
  end
  redis.call('HSET', key, 'status', new)
end
local function owned(key, role, token)
  return redis.call('HGET', key, 'status') == '"processing"' and redis.call('HGET', key, 'stage') == role
    and redis.call('HGET', key, 'owner') == token
end
`;

export const DOCUMENT_LUA = {
  /** KEYS doc, stats, docs index; ARGV tenant, createdAt ms, field/value pairs. */
  llDocCreate: {
    keys: 3,
    lua: `${SET_STATUS}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
redis.call('HSET', KEYS[1], unpack(ARGV, 3))
redis.call('HINCRBY', KEYS[2], cjson.decode(redis.call('HGET', KEYS[1], 'status')), 1)
redis.call('ZADD', KEYS[3], ARGV[2], cjson.decode(redis.call('HGET', KEYS[1], 'id')))
redis.call('ZADD', KEYS[3] .. ':t:' .. ARGV[1], ARGV[2], cjson.decode(redis.call('HGET', KEYS[1], 'id')))
return 1`,
  },
  /** KEYS doc, stats; ARGV role, token, progress, now. Returns {owned, status, stage} as found. */
  llDocClaim: {
    keys: 2,
    lua: `${SET_STATUS}
if redis.call('EXISTS', KEYS[1]) == 0 then return {0, '', ''} end
local status = redis.call('HGET', KEYS[1], 'status') or ''
local stage = redis.call('HGET', KEYS[1], 'stage') or ''
if status == '"completed"' or status == '"failed"' or stage ~= ARGV[1] then return {0, status, stage} end
setStatus(KEYS[1], KEYS[2], '"processing"')
redis.call('HSET', KEYS[1], 'owner', ARGV[2], 'progress', ARGV[3], 'updatedAt', ARGV[4])
return {1, status, stage}`,
  },
  /** KEYS doc; ARGV role, token. */
  llDocOwns: {
    keys: 1,
    lua: `${SET_STATUS}
if owned(KEYS[1], ARGV[1], ARGV[2]) then return 1 end
return 0`,
  },
  /** KEYS doc, stats; ARGV role, token, next role, progress, now. */
  llDocAdvance: {
    keys: 2,
    lua: `${SET_STATUS}
if not owned(KEYS[1], ARGV[1], ARGV[2]) then return 0 end
setStatus(KEYS[1], KEYS[2], '"queued"')
redis.call('HSET', KEYS[1], 'stage', ARGV[3], 'owner', '""', 'progress', ARGV[4], 'updatedAt', ARGV[5])
return 1`,
  },
  /** KEYS doc, stats; ARGV role, token, code, message, now. */
  llDocRetrying: {
    keys: 2,
    lua: `${SET_STATUS}
if not owned(KEYS[1], ARGV[1], ARGV[2]) then return 0 end
setStatus(KEYS[1], KEYS[2], '"retrying"')
redis.call('HSET', KEYS[1], 'errorCode', ARGV[3], 'errorMessage', ARGV[4], 'updatedAt', ARGV[5])
return 1`,
  },
  /** KEYS doc, stats, records index; ARGV role, token, now (ISO), now (ms). */
  llDocComplete: {
    keys: 3,
    lua: `${SET_STATUS}
if not owned(KEYS[1], ARGV[1], ARGV[2]) then return 0 end
setStatus(KEYS[1], KEYS[2], '"completed"')
redis.call('HSET', KEYS[1], 'stage', '"extract"', 'owner', '""', 'progress', '100', 'errorCode', 'null',
  'errorMessage', 'null', 'completedAt', ARGV[3], 'updatedAt', ARGV[3])
local id = cjson.decode(redis.call('HGET', KEYS[1], 'id'))
local tenant = redis.call('HGET', KEYS[1], 'tenant')
tenant = tenant and cjson.decode(tenant) or 'default'
redis.call('ZADD', KEYS[3], 'NX', ARGV[4], id)
redis.call('ZADD', KEYS[3] .. ':t:' .. tenant, 'NX', ARGV[4], id)
return 1`,
  },
  /** KEYS doc, stats, failures; ARGV role, code, message, now. */
  llDocFail: {
    keys: 3,
    lua: `${SET_STATUS}
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
local status = redis.call('HGET', KEYS[1], 'status')
if status == '"completed"' or status == '"failed"' or redis.call('HGET', KEYS[1], 'stage') ~= ARGV[1] then return 0 end
setStatus(KEYS[1], KEYS[2], '"failed"')
redis.call('HSET', KEYS[1], 'owner', '""', 'errorCode', ARGV[2], 'errorMessage', ARGV[3], 'updatedAt', ARGV[4])
redis.call('HINCRBY', KEYS[3], cjson.decode(ARGV[2]), 1)
return 1`,
  },
  /** KEYS doc, stats; ARGV role, now. */
  llDocRequeue: {
    keys: 2,
    lua: `${SET_STATUS}
if redis.call('HGET', KEYS[1], 'status') ~= '"failed"' or redis.call('HGET', KEYS[1], 'stage') ~= ARGV[1] then return 0 end
setStatus(KEYS[1], KEYS[2], '"queued"')
redis.call('HSET', KEYS[1], 'errorCode', 'null', 'errorMessage', 'null', 'updatedAt', ARGV[2])
return 1`,
  },
  /** KEYS doc, stats, records index, docs index. */
  llDocRemove: {
    keys: 4,
    lua: `${SET_STATUS}
local status = redis.call('HGET', KEYS[1], 'status')
if not status then return 0 end
local id = cjson.decode(redis.call('HGET', KEYS[1], 'id'))
local tenant = redis.call('HGET', KEYS[1], 'tenant')
tenant = tenant and cjson.decode(tenant) or 'default'
redis.call('HINCRBY', KEYS[2], cjson.decode(status), -1)
redis.call('DEL', KEYS[1])
redis.call('ZREM', KEYS[3], id)
redis.call('ZREM', KEYS[3] .. ':t:' .. tenant, id)
redis.call('ZREM', KEYS[4], id)
redis.call('ZREM', KEYS[4] .. ':t:' .. tenant, id)
return 1`,
  },
} as const;
