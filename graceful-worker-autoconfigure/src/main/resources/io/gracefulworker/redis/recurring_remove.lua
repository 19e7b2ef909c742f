-- Removes one schedule of a queue whatever declares it. ARGV[1] is its job name. Returns 1 if it
-- existed.
local recurring, ticks, declarers, state = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local job = ARGV[1]
local existed = redis.call('HDEL', recurring, job)
redis.call('ZREM', ticks, job)
redis.call('HDEL', declarers, job)
redis.call('HDEL', state, job .. '|lastJob', job .. '|lastTick', job .. '|fires', job .. '|missed', job .. '|overlap')
return existed
