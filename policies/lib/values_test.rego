package regent.lib.values_test

import data.regent.lib.values

test_is_true_accepts_booleans_and_strings if {
	values.is_true(true)
	values.is_true("true")
	values.is_true("True")
	values.is_true(" TRUE ")
	not values.is_true(false)
	not values.is_true("yes")
	not values.is_true(1)
	not values.is_true(null)
}

test_is_false_accepts_booleans_and_strings if {
	values.is_false(false)
	values.is_false("false")
	values.is_false("FALSE")
	not values.is_false(true)
	not values.is_false("")
	not values.is_false(null)
}

test_number_reads_numbers_and_numeric_strings if {
	values.number(22) == 22
	values.number("22") == 22
	values.number(" 8.5 ") == 8.5
	values.number("-1") == -1
	not values.number("abc")
	not values.number("")
	not values.number(null)
}

test_show_names_missing_keys if {
	values.show({"a": false}, "a") == false
	values.show({"a": false}, "b") == "not set"
	values.show(null, "a") == "not set"
}

# decimal replaced a regex; it must agree with it on every kind of text.
test_decimal_agrees_with_the_regex_it_replaced if {
	every s in [
		"0", "7", "22", "443", "08", "-1", "-0", "8.5", "-8.5", "10.25", "", "-", "--1", "+1",
		"1.", ".5", "1.2.3", "1e5", "0x1F", "abc", "1a", "a1", " 1", "1 ", "١٢", "1-2", "-1-", "1..2",
	] {
		regex.match(`^-?[0-9]+(\.[0-9]+)?$`, s) == _decimal(s)
	}
}

test_digits_agrees_with_the_regex_it_replaced if {
	every s in ["111122223333", "11112222333", "1111222233334", "11112222333a", "", "*", "١١١١٢٢٢٢٣٣٣٣"] {
		regex.match(`^[0-9]{12}$`, s) == _digits(s)
	}
}

_decimal(s) := true if values.decimal(s)

else := false

_digits(s) := true if values.digits(s, 12)

else := false
