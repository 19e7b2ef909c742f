-- Extends the leases that the given tokens still own. Returns the ids whose lease was lost.
local leases, owners = KEYS[1], KEYS[2]
local lease_ms = tonumber(ARGV[1])

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local lost = {}
for i = 2, #ARGV, 2 do
	local id, token = ARGV[i], ARGV[i + 1]
	if redis.call('HGET', owners, id) == token then
		redis.call('ZADD', leases, 'XX', now + lease_ms, id)
	else
		lost[#lost + 1] = id
	end
end
return lost
