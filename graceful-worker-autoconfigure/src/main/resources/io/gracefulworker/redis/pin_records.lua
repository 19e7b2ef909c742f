-- A queue's jobs hash holds the pin (pin.lua, valued '-') once eight of its jobs are stored with
-- records shorter than Redis's listpack limit, as compact records are, and until it holds no
-- record. Without it a queue keeping up with its producers kept its records in a compact list of
-- up to 512 entries (hash-max-listpack-entries) that each enqueue, claim and completion scanned
-- from the start: a fifth more of Redis's work a job. A JSON record is longer than the limit, so
-- Redis converts the hash as it stores the first, and such a queue needs no pin. Status and
-- cancel know no job of that id.
-- The enqueue (enqueue_batch.lua) pins: a batch of eight short records, or one that brings the
-- records stored to eight. The idempotency hash is pinned the same way for short keys (the
-- keys of a queue that keeps no outcomes stay few, and were scanned by every keyed enqueue and
-- completion). Put before each script that calls unpin_hash, after pin.lua.

-- Removes the pin of a jobs or idempotency hash once it holds nothing else.
local function unpin_hash(hash)
	if redis.call('HLEN', hash) == 1 and redis.call('HEXISTS', hash, PIN) == 1 then
		redis.call('DEL', hash)
	end
end
