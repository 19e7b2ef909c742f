-- Removes finished jobs of one queue, each only while the caller's token owns its lease.
-- ARGV holds triples of id, token and idempotency key (or ''). Returns the ids refused.
local leases, owners, jobs, idempotency = KEYS[1], KEYS[2], KEYS[3], KEYS[4]

local ids = {}
for i = 1, #ARGV, 3 do
	ids[#ids + 1] = ARGV[i]
end
local current = redis.call('HMGET', owners, unpack(ids))

local done, refused = {}, {}
for n = 1, #ids do
	local id, token, key = ARGV[n * 3 - 2], ARGV[n * 3 - 1], ARGV[n * 3]
	if current[n] == token then
		done[#done + 1] = id
		if key ~= '' and redis.call('HGET', idempotency, key) == id then
			redis.call('HDEL', idempotency, key)
		end
	else
		refused[#refused + 1] = id
	end
end
if #done > 0 then
	redis.call('ZREM', leases, unpack(done))
	redis.call('HDEL', owners, unpack(done))
	redis.call('HDEL', jobs, unpack(done))
end
return refused
