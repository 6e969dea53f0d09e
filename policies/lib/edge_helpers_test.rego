package regent.lib.edge_helpers_test

import data.regent.lib.edge_helpers
import data.regent.views.s3_buckets

test_csv_reads_lists_and_comma_strings if {
	edge_helpers.csv(["ERROR", " INFO ", "", 5]) == ["ERROR", "INFO"]
	edge_helpers.csv("defensive, strictest,,") == ["defensive", "strictest"]
	not edge_helpers.csv(null)
	not edge_helpers.csv(3)
}

test_field_prefers_the_first_name_present if {
	edge_helpers.field({"Protocol": "HTTP", "protocol": "TCP"}, ["Protocol", "protocol"]) == "HTTP"
	edge_helpers.field({"protocol": "TCP"}, ["Protocol", "protocol"]) == "TCP"
	edge_helpers.field({"enabled": false}, ["enabled"]) == false
	not edge_helpers.field({"x": 1}, ["Protocol"])
	not edge_helpers.field(null, ["Protocol"])
}

test_show_field_names_missing_values if {
	edge_helpers.show_field({"Port": 80}, ["Port", "port"]) == 80
	edge_helpers.show_field({"enabled": false}, ["enabled"]) == false
	edge_helpers.show_field({}, ["Port"]) == "not set"
	edge_helpers.show_field(null, ["Port"]) == "not set"
}

test_elbv2_attribute_reads_list_and_object_forms if {
	ci := {"supplementaryConfiguration": {"LoadBalancerAttributes": [
		{"key": "deletion_protection.enabled", "value": "false"},
		{"key": "deletion_protection.enabled", "value": "true"},
		"junk",
	]}}
	edge_helpers.elbv2_attribute(ci, "deletion_protection.enabled") == "false"
	edge_helpers.elbv2_attribute_show(ci, "idle_timeout.timeout_seconds") == "not recorded"
	obj := {"supplementaryConfiguration": {"LoadBalancerAttributes": {"deletion_protection.enabled": "true"}}}
	edge_helpers.elbv2_attribute(obj, "deletion_protection.enabled") == "true"
	not edge_helpers.elbv2_attribute({"supplementaryConfiguration": {}}, "deletion_protection.enabled")
}

test_elbv2_type_is_lower_cased if {
	edge_helpers.elbv2_type({"configuration": {"type": "Application"}}) == "application"
	not edge_helpers.elbv2_type({"configuration": {"type": null}})
}

test_clb_attribute_readers_accept_both_casings if {
	camel := {"supplementaryConfiguration": {"LoadBalancerAttributes": {
		"crossZoneLoadBalancing": {"enabled": true},
		"additionalAttributes": [{"key": "elb.http.desyncmitigationmode", "value": "monitor"}],
	}}}
	edge_helpers.clb_attribute_group(camel, "crossZoneLoadBalancing") == {"enabled": true}
	edge_helpers.clb_additional_attribute(camel, "elb.http.desyncmitigationmode") == "monitor"
	pascal := {"supplementaryConfiguration": {"LoadBalancerAttributes": {
		"CrossZoneLoadBalancing": {"Enabled": false},
		"AdditionalAttributes": [{"Key": "elb.http.desyncmitigationmode", "Value": "strictest"}],
	}}}
	edge_helpers.clb_attribute_group(pascal, "crossZoneLoadBalancing") == {"Enabled": false}
	edge_helpers.clb_additional_attribute(pascal, "elb.http.desyncmitigationmode") == "strictest"
	not edge_helpers.clb_attribute_group({"supplementaryConfiguration": {}}, "accessLog")
}

test_clb_listeners_and_protocols if {
	ci := {"configuration": {"listenerDescriptions": [
		{"listener": {"protocol": "https", "loadBalancerPort": 443}},
		{"listener": {"protocol": "TCP", "loadBalancerPort": 5000}},
		{"policyNames": []},
	]}}
	listeners := edge_helpers.clb_listeners(ci)
	count(listeners) == 2
	edge_helpers.clb_secure_protocol(listeners[0])
	not edge_helpers.clb_secure_protocol(listeners[1])
	not edge_helpers.clb_secure_protocol({"protocol": null})
	edge_helpers.describe_clb_listener(listeners[0]) == "https:443"
	edge_helpers.describe_clb_listener({}) == "?:?"
	edge_helpers.clb_listeners({"configuration": {"listenerDescriptions": null}}) == []
}

test_timestamp_ns_accepts_aws_formats if {
	z := edge_helpers.timestamp_ns("2026-10-30T08:15:02.311Z")
	edge_helpers.timestamp_ns("2026-10-30T08:15:02.311+00:00") == z
	edge_helpers.timestamp_ns("2026-10-30T08:15:02.311+0000") == z
	edge_helpers.timestamp_ns("2026-10-30T10:15:02.311+0200") == z
	edge_helpers.timestamp_ns(1793348102) == edge_helpers.timestamp_ns("2026-10-30T08:15:02Z")
	edge_helpers.timestamp_ns(1793348102311) == z
	not edge_helpers.timestamp_ns("Nov 28, 2019 4:22:57 PM")
	not edge_helpers.timestamp_ns(null)
}

test_timestamp_text_is_rfc3339_in_utc if {
	edge_helpers.timestamp_text(1793348102311) == "2026-10-30T08:15:02.311Z"
	edge_helpers.timestamp_text(1793348102) == "2026-10-30T08:15:02Z"
	edge_helpers.timestamp_text("2026-10-30T10:15:02.311+0200") == "2026-10-30T08:15:02.311Z"
	edge_helpers.timestamp_text("Nov 28, 2019 4:22:57 PM") == "Nov 28, 2019 4:22:57 PM"
	edge_helpers.timestamp_text(null) == "null"
}

test_s3_rest_bucket_parses_rest_endpoints_only if {
	edge_helpers.s3_rest_bucket("acme.s3.amazonaws.com") == "acme"
	edge_helpers.s3_rest_bucket("acme.s3.eu-west-1.amazonaws.com") == "acme"
	edge_helpers.s3_rest_bucket("acme.s3-us-west-2.amazonaws.com") == "acme"
	edge_helpers.s3_rest_bucket("acme.s3.dualstack.eu-west-1.amazonaws.com") == "acme"
	edge_helpers.s3_rest_bucket("static.example.com.s3.eu-west-1.amazonaws.com") == "static.example.com"
	edge_helpers.s3_rest_bucket("logs.s3.cn-north-1.amazonaws.com.cn") == "logs"
	edge_helpers.s3_rest_bucket("Acme.S3.amazonaws.com.") == "acme"
	not edge_helpers.s3_rest_bucket("acme.s3-website-us-east-1.amazonaws.com")
	not edge_helpers.s3_rest_bucket("acme.s3-website.eu-west-1.amazonaws.com")
	not edge_helpers.s3_rest_bucket("app.example.com")
	not edge_helpers.s3_rest_bucket(null)
}

_bucket_inventory := {"AWS::S3::Bucket": {
	"111111111111": {"us-east-1": {"by-name": {"resourceId": "by-name", "resourceName": "by-name", "configuration": {"name": "by-name"}}}},
	"222222222222": {"eu-west-1": {
		"by-config": {"resourceId": "x-1", "configuration": {"name": "by-config"}},
		"by-id": {"resourceId": "by-id", "configuration": {}},
	}},
}}

# The s3_buckets view as a run publishes it for this inventory.
_bucket_index := index if {
	index := s3_buckets.by_name with data.inventory as _bucket_inventory
}

_named(name) := found if {
	found := edge_helpers.buckets_named(name) with data.inventory as _bucket_inventory
		with data.views.s3_buckets.by_name as _bucket_index
}

test_buckets_named_searches_every_account_and_region if {
	count(_named("by-name")) == 1
	count(_named("by-config")) == 1
	count(_named("by-id")) == 1
	count(_named("missing")) == 0
}

_trail(conf, supp) := {"resourceId": "t", "awsRegion": "eu-west-1", "configuration": conf, "supplementaryConfiguration": supp}

test_trail_name_falls_back_to_resource_id if {
	edge_helpers.trail_name(_trail({"name": "audit"}, {})) == "audit"
	edge_helpers.trail_name(_trail({}, {})) == "t"
}

test_trail_logging_stopped_reads_either_location if {
	edge_helpers.trail_logging_stopped(_trail({}, {"TrailStatus": {"IsLogging": false}}))
	edge_helpers.trail_logging_stopped(_trail({"isLogging": "false"}, {}))
	not edge_helpers.trail_logging_stopped(_trail({}, {"TrailStatus": {"isLogging": true}}))
	not edge_helpers.trail_logging_stopped({"resourceId": "t", "configuration": null, "supplementaryConfiguration": null})
}

test_trail_covers_region if {
	edge_helpers.trail_covers_region(_trail({"isMultiRegionTrail": "true"}, {}), "ap-south-1")
	edge_helpers.trail_covers_region(_trail({"isMultiRegionTrail": false, "homeRegion": "us-east-1"}, {}), "us-east-1")
	edge_helpers.trail_covers_region(_trail({"isMultiRegionTrail": false}, {}), "eu-west-1")
	not edge_helpers.trail_covers_region(_trail({"isMultiRegionTrail": false, "homeRegion": "us-east-1"}, {}), "eu-west-1")
	edge_helpers.trail_covers_region(_trail({"isMultiRegionTrail": false, "homeRegion": "us-east-1"}, {}), "global")
	not edge_helpers.trail_covers_region(_trail({"isMultiRegionTrail": false, "includeGlobalServiceEvents": false}, {}), "global")
}

test_trail_records_management_basic_selectors if {
	edge_helpers.trail_records_management(_trail({"hasCustomEventSelectors": false}, {}), "ALL")
	edge_helpers.trail_records_management(_trail({}, {"EventSelectors": [{"readWriteType": "All"}]}), "ALL")
	edge_helpers.trail_records_management(_trail({"eventSelectors": [{"ReadWriteType": "ReadOnly", "IncludeManagementEvents": true}]}, {}), "READ_ONLY")
	edge_helpers.trail_records_management(_trail({}, {"EventSelectors": [{}]}), "WRITE_ONLY")
	not edge_helpers.trail_records_management(_trail({}, {"EventSelectors": [{"readWriteType": "ReadOnly"}]}), "ALL")
	not edge_helpers.trail_records_management(_trail({}, {"EventSelectors": [{"includeManagementEvents": "false"}]}), "ALL")
	not edge_helpers.trail_records_management(_trail({}, {"EventSelectors": [{"excludeManagementEventSources": ["rdsdata.amazonaws.com"]}]}), "ALL")
}

test_trail_records_management_advanced_selectors if {
	mgmt := {"field": "eventCategory", "equals": ["Management"]}
	edge_helpers.trail_records_management(_trail({}, {"AdvancedEventSelectors": [{"fieldSelectors": [mgmt]}]}), "ALL")
	edge_helpers.trail_records_management(_trail({}, {"AdvancedEventSelectors": [{"FieldSelectors": [{"Field": "readOnly", "Equals": ["false"]}, {"Field": "eventCategory", "Equals": ["Management"]}]}]}), "WRITE_ONLY")
	not edge_helpers.trail_records_management(_trail({}, {"AdvancedEventSelectors": [{"fieldSelectors": [mgmt, {"field": "readOnly", "equals": ["true"]}]}]}), "ALL")
	not edge_helpers.trail_records_management(_trail({}, {"AdvancedEventSelectors": [{"fieldSelectors": [mgmt, {"field": "eventSource", "notEquals": ["kms.amazonaws.com"]}]}]}), "ALL")
	not edge_helpers.trail_records_management(_trail({}, {"AdvancedEventSelectors": [{"fieldSelectors": [{"field": "eventCategory", "equals": ["Data"]}]}]}), "ALL")
}

test_trails_lists_the_accounts_trails_in_every_region if {
	inv := {"AWS::CloudTrail::Trail": {"111111111111": {
		"us-east-1": {"a": {"resourceId": "a"}},
		"eu-west-1": {"b": {"resourceId": "b"}},
	}}}
	count(edge_helpers.trails("111111111111")) == 2 with data.inventory as inv
	count(edge_helpers.trails("999999999999")) == 0 with data.inventory as inv
}
