-- Counts the workers whose entry has not lapsed, and for each layout asked (ARGV: a field, such as
-- recordLayouts, and a layout it may list, pair after pair) those of them whose entry lists it:
-- {live, listing the first, listing the second, ...}. An entry written by an earlier build lists
-- nothing, and so counts for no layout.
local workers, lapses = KEYS[1], KEYS[2]

local time = redis.call('TIME')
local now = tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)

local result = { 0 }
for i = 2, #ARGV, 2 do
	result[i / 2 + 1] = 0
end
local live = redis.call('ZRANGEBYSCORE', lapses, '(' .. now, '+inf')
if #live == 0 then
	return result
end
local entries = redis.call('HMGET', workers, unpack(live))
for n = 1, #live do
	local entry = entries[n]
	if entry then
		result[1] = result[1] + 1
		for i = 2, #ARGV, 2 do
			-- Matched, not decoded: an entry lists up to 50 job ids, and a quote inside a JSON
			-- string is escaped, so only the field itself reads '"<field>":['.
			local listed = string.match(entry, '"' .. ARGV[i - 1] .. '":%[([^%]]*)%]')
			if listed and string.find(listed, '"' .. ARGV[i] .. '"', 1, true) then
				result[i / 2 + 1] = result[i / 2 + 1] + 1
			end
		end
	end
end
return result
