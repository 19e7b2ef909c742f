-- Extends the leases that the given tokens still own. Returns the ids whose lease was lost.
-- Each lease is removed and added again: Redis refuses a script under maxmemory only at its first
-- write if that write may grow memory, and a heartbeat, which grows nothing, must go through then.
local leases, owners = KEYS[1], KEYS[2]
local lease_ms = tonumber(ARGV[1])

local time = redis.call('TIME')
local lease_until = string.format('%d', tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000) + lease_ms)

local lost = {}
for i = 2, #ARGV, 2 do
	local id, token = ARGV[i], ARGV[i + 1]
	if redis.call('HGET', owners, id) == token then
		if redis.call('ZREM', leases, id) == 1 then
			redis.call('ZADD', leases, lease_until, id)
		end
	else
		lost[#lost + 1] = id
	end
end
return lost
