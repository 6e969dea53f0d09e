package regent.lib.values

# Readers for scalars that AWS Config records loosely: booleans and numbers inside
# `configuration` (and every A-dialect supplementary value) may arrive as strings
# ("false", "True", "5"). None of these helpers raises an error on an unexpected type;
# they are simply undefined, so `not values.is_true(x)` also catches a missing x.

# is_true(x): x is the boolean true or the string "true" in any letter case.
is_true(x) if x == true
else := true if {
	is_string(x)
	lower(trim_space(x)) == "true"
}

# is_false(x): x is the boolean false or the string "false" in any letter case.
is_false(x) if x == false

is_false(x) if {
	is_string(x)
	lower(trim_space(x)) == "false"
}

# number(x): x when it is a number, or the number written in the string x ("22", " 8.5 ");
# undefined for anything else (null, "", "abc"), never an error.
# One definition with else branches: the VM evaluates every definition of a function on every
# call, else branches only when needed.
number(x) := x if is_number(x)
else := to_number(s) if {
	is_string(x)
	s := trim_space(x)
	decimal(s)
}

# decimal(s): s is what ^-?[0-9]+(\.[0-9]+)?$ matches (an optional "-", digits, optionally a
# "." and digits), tested with string builtins: regorus prepares a regex afresh on every
# regex.match, several microseconds each, and this test runs for every port of every rule.
decimal(s) if {
	is_string(s)
	parts := split(trim_prefix(s, "-"), ".")
	count(parts) <= 2
	every part in parts {
		part != ""
		trim(part, "0123456789") == ""
	}
}

# digits(s, n): s is exactly n ASCII digits (an account id is digits(s, 12)).
digits(s, n) if {
	is_string(s)
	count(s) == n
	trim(s, "0123456789") == ""
}

# show(obj, key): obj[key] for use in a message, or "not set" when obj has no such key
# (or is not an object at all), so that a missing field still yields a readable reason.
show(obj, key) := object.get(obj, key, "not set") if is_object(obj)
else := "not set"
