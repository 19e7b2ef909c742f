-- Removes a finished job, only while the caller's token owns its lease. Returns 1 or 0.
local leases, owners, jobs, idempotency = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, token, key = ARGV[1], ARGV[2], ARGV[3]

if redis.call('HGET', owners, id) ~= token then
	return 0
end
redis.call('ZREM', leases, id)
redis.call('HDEL', owners, id)
redis.call('HDEL', jobs, id)
if key ~= '' and redis.call('HGET', idempotency, key) == id then
	redis.call('HDEL', idempotency, key)
end
return 1
