-- A queue's jobs hash and idempotency hash hold the pin (pin.lua, valued '-') once eight of
-- their entries are short enough for Redis's listpack (compact records; keys and ids of up to 64
-- bytes), and until they hold nothing else. Without it a queue keeping up with its producers
-- kept its records, and its keys, in compact lists of up to 512 entries
-- (hash-max-listpack-entries) that each enqueue, claim and completion scanned from the start: a
-- fifth more of Redis's work a job. A JSON record is longer than the limit, so Redis converts
-- such a jobs hash as it stores the first, and the pin is not written. Status and cancel know no
-- job of that name.
-- Put before each script that calls hset_pinned or unpin_hash, after pin.lua.

-- Stores the field and value pairs of `pairs` from index `from` on in `hash`, in one command:
-- the pin first when the first pair is short and the hash holds eight entries with them (a
-- batch of eight does; else its length is asked), so that Redis converts the hash before it
-- adds the batch.
local function hset_pinned(hash, pairs, from)
	local adding = (#pairs - from + 1) / 2
	if #pairs[from] <= 64 and #pairs[from + 1] <= 64
			and (adding >= PIN_FROM or redis.call('HLEN', hash) + adding >= PIN_FROM) then
		redis.call('HSET', hash, PIN, '-', unpack(pairs, from))
	else
		redis.call('HSET', hash, unpack(pairs, from))
	end
end

-- Removes the pin of a jobs or idempotency hash once it holds nothing else.
local function unpin_hash(hash)
	if redis.call('HLEN', hash) == 1 and redis.call('HEXISTS', hash, PIN) == 1 then
		redis.call('DEL', hash)
	end
end
