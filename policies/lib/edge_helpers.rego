package regent.lib.edge_helpers

import data.regent.lib.values

# Helpers shared by the edge/serverless/logging controls (ELB, CloudFront, ACM, API Gateway,
# Lambda, CloudTrail). Like regent.lib.values, every helper is undefined (never an error)
# when the data has an unexpected shape.

# csv(x): a list parameter as trimmed, non-empty strings. x may be a list or a
# comma-separated string ("ERROR,INFO"); anything else gives undefined.
csv(x) := [s | some item in x; is_string(item); s := trim_space(item); s != ""] if is_array(x)
else := [s | some item in split(x, ","); s := trim_space(item); s != ""] if is_string(x)

# field(obj, names): obj[name] for the first name in names that obj has (lets a reader accept
# both the recorded camelCase key and the API's PascalCase key).
field(obj, names) := obj[names[i]] if {
	is_object(obj)
	some i
	names[i] in object.keys(obj)
	not _earlier_name(obj, names, i)
}

# show_field(obj, names): field(obj, names) for a message, or "not set".
show_field(obj, names) := v if v := field(obj, names)

show_field(obj, names) := "not set" if not _has_field(obj, names)

_has_field(obj, names) if field(obj, names)

_has_field(obj, names) if field(obj, names) == false

_earlier_name(obj, names, i) if {
	some j
	j < i
	names[j] in object.keys(obj)
}

# ---------------------------------------------------------------------------------------
# Elastic Load Balancing v2 (ALB / NLB / GWLB)

# elbv2_attribute(ci, key): the value of one load balancer attribute. AWS Config records
# supplementaryConfiguration.LoadBalancerAttributes as a list of {key, value} with string
# values ("false", "60"); a key-value object is accepted too. Undefined when the attribute
# is not recorded. When a key appears twice the first entry wins.
elbv2_attribute(ci, key) := vals[0] if {
	attrs := ci.supplementaryConfiguration.LoadBalancerAttributes
	is_array(attrs)
	vals := [v | some a in attrs; is_object(a); a.key == key; v := object.get(a, "value", null)]
	count(vals) > 0
}

elbv2_attribute(ci, key) := attrs[key] if {
	attrs := ci.supplementaryConfiguration.LoadBalancerAttributes
	is_object(attrs)
}

# elbv2_attribute_show(ci, key): the attribute for a message, or "not recorded".
elbv2_attribute_show(ci, key) := v if v := elbv2_attribute(ci, key)

elbv2_attribute_show(ci, key) := "not recorded" if not elbv2_attribute(ci, key)

# elbv2_type(ci): configuration.type lower-cased ("application", "network", "gateway").
elbv2_type(ci) := lower(t) if {
	t := ci.configuration.type
	is_string(t)
}

# ---------------------------------------------------------------------------------------
# Classic Load Balancer (AWS::ElasticLoadBalancing::LoadBalancer)

# clb_attributes(ci): supplementaryConfiguration.LoadBalancerAttributes, recorded as the
# DescribeLoadBalancerAttributes object: {crossZoneLoadBalancing: {enabled}, accessLog:
# {enabled, s3BucketName, ...}, connectionDraining, connectionSettings, additionalAttributes:
# [{key, value}]}. PascalCase spellings are accepted as well.
clb_attributes(ci) := attrs if {
	attrs := ci.supplementaryConfiguration.LoadBalancerAttributes
	is_object(attrs)
}

# clb_attribute_group(ci, name): one nested attribute object, e.g. "crossZoneLoadBalancing".
clb_attribute_group(ci, name) := group if {
	group := field(clb_attributes(ci), [name, _pascal(name)])
	is_object(group)
}

# clb_additional_attribute(ci, key): value of an additionalAttributes entry
# (e.g. "elb.http.desyncmitigationmode"); first entry wins.
clb_additional_attribute(ci, key) := vals[0] if {
	extra := field(clb_attributes(ci), ["additionalAttributes", "AdditionalAttributes"])
	is_array(extra)
	vals := [v |
		some a in extra
		is_object(a)
		field(a, ["key", "Key"]) == key
		v := field(a, ["value", "Value"])
	]
	count(vals) > 0
}

# clb_listeners(ci): the listener objects of configuration.listenerDescriptions[].listener.
clb_listeners(ci) := [l |
	some d in ci.configuration.listenerDescriptions
	is_object(d)
	l := d.listener
	is_object(l)
] if is_array(ci.configuration.listenerDescriptions)

clb_listeners(ci) := [] if not is_array(ci.configuration.listenerDescriptions)

# clb_secure_protocol(listener): the front-end protocol is HTTPS or SSL (any letter case).
clb_secure_protocol(listener) if {
	is_string(listener.protocol)
	upper(listener.protocol) in {"HTTPS", "SSL"}
}

# describe_clb_listener(l): "HTTPS:443" for messages.
describe_clb_listener(l) := sprintf("%v:%v", [object.get(l, "protocol", "?"), object.get(l, "loadBalancerPort", "?")])

_pascal(name) := concat("", [upper(substring(name, 0, 1)), substring(name, 1, -1)])

# ---------------------------------------------------------------------------------------
# Time

# timestamp_ns(x): a CI timestamp as nanoseconds since the epoch. Accepts RFC 3339 strings
# ("2026-10-30T08:15:02.311Z", "...+00:00"), the "+0000" offset form AWS also records, and
# epoch numbers (seconds, or milliseconds when larger than 1e11). Undefined otherwise.
timestamp_ns(x) := time.parse_rfc3339_ns(s) if {
	is_string(x)
	s := trim_space(x)
	regex.match(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|z|[+-]\d{2}:\d{2})$`, s)
}

timestamp_ns(x) := time.parse_rfc3339_ns(fixed) if {
	is_string(x)
	s := trim_space(x)
	regex.match(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{4}$`, s)
	n := count(s)
	fixed := concat("", [substring(s, 0, n - 2), ":", substring(s, n - 2, 2)])
}

timestamp_ns(x) := round(x * 1000000000) if {
	is_number(x)
	x < 100000000000
}

timestamp_ns(x) := round(x * 1000000) if {
	is_number(x)
	x >= 100000000000
}

# timestamp_text(x): x as an RFC 3339 time in UTC ("2026-11-28T12:47:52Z") for messages,
# when it is a timestamp timestamp_ns reads (epoch numbers included); else x as recorded.
timestamp_text(x) := time.format(timestamp_ns(x))

timestamp_text(x) := sprintf("%v", [x]) if not timestamp_ns(x)

# ---------------------------------------------------------------------------------------
# S3 buckets (CloudFront origins, CloudTrail log buckets)

# s3_rest_bucket(domain): the bucket named by an S3 REST endpoint host name
# (bucket.s3.amazonaws.com, bucket.s3.eu-west-1.amazonaws.com, bucket.s3-eu-west-1...,
# bucket.s3.dualstack.<region>..., China .amazonaws.com.cn). Website endpoints
# (bucket.s3-website-<region>..., bucket.s3-website.<region>...) are not REST endpoints.
s3_rest_bucket(domain) := bucket if {
	is_string(domain)
	d := lower(trim_suffix(trim_space(domain), "."))
	not contains(d, ".s3-website")
	m := regex.find_all_string_submatch_n(`^(.+)\.s3(?:[.-][a-z0-9-]+)?(?:\.[a-z0-9-]+)?\.amazonaws\.com(?:\.cn)?$`, d, 1)
	count(m) == 1
	bucket := m[0][1]
}

# buckets_named(name): every recorded AWS::S3::Bucket CI (any account, any region) whose
# name is `name` (resourceName, configuration.name or resourceId), looked up in the
# s3_buckets view.
buckets_named(name) := [ci |
	some path in object.get(data.views.s3_buckets.by_name, name, set())
	ci := data.inventory["AWS::S3::Bucket"][path[0]][path[1]][path[2]]
]

# ---------------------------------------------------------------------------------------
# CloudTrail trails

# trails(account): every recorded AWS::CloudTrail::Trail CI of the account, in any region
# (Config records a trail in its home region). Needs "AWS::CloudTrail::Trail" in `requires`.
trails(account) := [ci |
	some region, id
	ci := data.inventory["AWS::CloudTrail::Trail"][account][region][id]
	is_object(ci)
]

# trail_name(ci): the trail's name for messages.
trail_name(ci) := n if {
	n := ci.configuration.name
	is_string(n)
}

trail_name(ci) := ci.resourceId if not is_string(ci.configuration.name)

# trail_logging_stopped(ci): the CI records that the trail is not logging (GetTrailStatus
# IsLogging false) under supplementaryConfiguration.TrailStatus or configuration
# (isLogging / IsLogging). Where no status is recorded this is false: nothing says it stopped.
trail_logging_stopped(ci) if values.is_false(field(_supp(ci).TrailStatus, ["isLogging", "IsLogging"]))

trail_logging_stopped(ci) if values.is_false(field(_conf(ci), ["isLogging", "IsLogging"]))

# trail_covers_region(ci, region): the trail logs events of `region`: it is a multi-region
# trail, or its home region (or, without homeRegion, the region it is recorded in) is `region`.
# For region "global" (where Config records IAM and other global resources) any trail that
# includes global service events (includeGlobalServiceEvents not false) covers it.
trail_covers_region(ci, _) if values.is_true(_conf(ci).isMultiRegionTrail)

trail_covers_region(ci, "global") if not values.is_false(_conf(ci).includeGlobalServiceEvents)

trail_covers_region(ci, region) if _conf(ci).homeRegion == region

trail_covers_region(ci, region) if {
	not is_string(_conf(ci).homeRegion)
	ci.awsRegion == region
}

# trail_records_management(ci, rw): the trail records management events of the wanted
# read/write type (rw: "ALL", "READ_ONLY" or "WRITE_ONLY"; a selector of type All satisfies
# any). Event selectors are read from supplementaryConfiguration.EventSelectors /
# AdvancedEventSelectors or configuration.eventSelectors / advancedEventSelectors when the CI
# records them:
#   - a basic selector qualifies when includeManagementEvents is not false, readWriteType is
#     All (or the wanted type; missing means All) and excludeManagementEventSources is empty;
#   - an advanced selector qualifies when a field selector has eventCategory Equals
#     "Management" and no field selector narrows it (readOnly, when ALL is wanted; an
#     eventSource NotEquals exclusion).
# When the CI records no selectors at all, the trail is taken to log all management events:
# that is CloudTrail's default (hasCustomEventSelectors false), and with custom selectors
# that Config did not record nothing in the CI says otherwise.
trail_records_management(ci, _) if {
	count(_basic_selectors(ci)) == 0
	count(_advanced_selectors(ci)) == 0
}

trail_records_management(ci, rw) if {
	some s in _basic_selectors(ci)
	is_object(s)
	not values.is_false(field(s, ["includeManagementEvents", "IncludeManagementEvents"]))
	_rw_satisfies(_basic_rw(s), rw)
	count(_list_at(s, ["excludeManagementEventSources", "ExcludeManagementEventSources"])) == 0
}

trail_records_management(ci, rw) if {
	some s in _advanced_selectors(ci)
	fs := _list_at(s, ["fieldSelectors", "FieldSelectors"])
	some f in fs
	_selector_field(f) == "eventcategory"
	"Management" in _list_at(f, ["equals", "Equals"])
	not _advanced_narrowed(fs, rw)
}

_basic_selectors(ci) := array.concat(
	_list_at(_supp(ci), ["EventSelectors", "eventSelectors"]),
	_list_at(_conf(ci), ["eventSelectors", "EventSelectors"]),
)

_advanced_selectors(ci) := array.concat(
	_list_at(_supp(ci), ["AdvancedEventSelectors", "advancedEventSelectors"]),
	_list_at(_conf(ci), ["advancedEventSelectors", "AdvancedEventSelectors"]),
)

_basic_rw(s) := lower(replace(v, "_", "")) if {
	v := field(s, ["readWriteType", "ReadWriteType"])
	is_string(v)
}

_basic_rw(s) := "all" if not is_string(field(s, ["readWriteType", "ReadWriteType"]))

_rw_satisfies("all", _) := true

_rw_satisfies(actual, wanted) if {
	is_string(wanted)
	actual == lower(replace(wanted, "_", ""))
}

_advanced_narrowed(fs, rw) if {
	is_string(rw)
	lower(replace(rw, "_", "")) == "all"
	some f in fs
	_selector_field(f) == "readonly"
}

_advanced_narrowed(fs, _) if {
	some f in fs
	_selector_field(f) == "eventsource"
	count(_list_at(f, ["notEquals", "NotEquals"])) > 0
}

_selector_field(f) := lower(v) if {
	v := field(f, ["field", "Field"])
	is_string(v)
}

_list_at(obj, names) := l if {
	l := field(obj, names)
	is_array(l)
}

_list_at(obj, names) := [] if not is_array(field(obj, names))

_supp(ci) := s if {
	s := ci.supplementaryConfiguration
	is_object(s)
}

_supp(ci) := {} if not is_object(ci.supplementaryConfiguration)

_conf(ci) := c if {
	c := ci.configuration
	is_object(c)
}

_conf(ci) := {} if not is_object(ci.configuration)
