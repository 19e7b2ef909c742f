-- Announces that a worker consumes the queue until now + ttl, and forgets lapsed announcements.
local consumers = KEYS[1]
local worker, ttl_ms = ARGV[1], tonumber(ARGV[2])

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

redis.call('ZREMRANGEBYSCORE', consumers, '-inf', now)
redis.call('ZADD', consumers, now + ttl_ms, worker)
return 1
