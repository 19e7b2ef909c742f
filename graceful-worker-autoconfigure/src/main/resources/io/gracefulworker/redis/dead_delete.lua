-- Deletes dead jobs and frees their idempotency keys; ids no longer dead are left alone.
-- ARGV: the ids. Returns how many were deleted.
local dead, jobs, idempotency = KEYS[1], KEYS[2], KEYS[3]

local deleted = {}
for _, id in ipairs(ARGV) do
	if redis.call('ZREM', dead, id) == 1 then
		deleted[#deleted + 1] = id
	end
end
if #deleted > 0 then
	free_keys(idempotency, jobs, deleted)
	redis.call('HDEL', jobs, unpack(deleted))
	unpin_hash(jobs)
end
return #deleted
