-- Counts the workers whose entry has not lapsed, and those of them whose entry says they read
-- the given record layout: {live, readers}. An entry written by an earlier build says nothing,
-- and so does not count as a reader.
local workers, lapses = KEYS[1], KEYS[2]
local layout = ARGV[1]

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local live = redis.call('ZRANGEBYSCORE', lapses, '(' .. now, '+inf')
if #live == 0 then
	return {0, 0}
end
local entries = redis.call('HMGET', workers, unpack(live))
local count, readers = 0, 0
for i = 1, #live do
	local entry = entries[i]
	if entry then
		count = count + 1
		-- Matched, not decoded: an entry lists up to 50 job ids, and a quote inside a JSON
		-- string is escaped, so only the field itself reads '"recordLayouts":['.
		local layouts = string.match(entry, '"recordLayouts":%[([^%]]*)%]')
		if layouts and string.find(layouts, '"' .. layout .. '"', 1, true) then
			readers = readers + 1
		end
	end
end
return {count, readers}
