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
