package regent.lib.db_helpers

# Helpers shared by the RDS and Redshift controls. Like regent.lib.values, none of them
# raises an error on an unexpected type (null, number, missing key): they are undefined
# or fall back to an empty value instead.

# engine(conf): conf.engine lower-cased and trimmed ("aurora-mysql", "postgres"), or ""
# when the CI records no engine.
engine(conf) := lower(trim_space(conf.engine)) if is_string(conf.engine)
else := ""

# engine_family(engine): the engine with its edition dropped for the engines that have
# editions ("oracle-ee" -> "oracle", "sqlserver-web" -> "sqlserver", "db2-se" -> "db2");
# other engines are their own family ("aurora-postgresql", "mysql").
engine_family(e) := family if {
	some family in {"oracle", "sqlserver", "db2"}
	startswith(e, concat("", [family, "-"]))
} else := e

# non_rds_engine(engine): the cluster or instance is an Amazon DocumentDB or Neptune
# database, which AWS also records as AWS::RDS::* resources.
non_rds_engine(e) if e in {"docdb", "neptune"}

# aurora(engine): an Amazon Aurora engine ("aurora", "aurora-mysql", "aurora-postgresql").
aurora(e) if startswith(e, "aurora")

# names(x): the set of trimmed, non-empty strings in x, which may be a list or a
# comma-separated string (AWS Config CSV rule parameters); empty for anything else.
names(x) := {s | some item in x; is_string(item); s := trim_space(item); s != ""} if is_array(x)
else := {s | some item in split(x, ","); s := trim_space(item); s != ""} if is_string(x)
else := set()

# lower_names(x): names(x), lower-cased.
lower_names(x) := {lower(s) | some s in names(x)}

# text(x): x is a string with something other than blanks in it.
text(x) if {
	is_string(x)
	trim_space(x) != ""
}

# The DB instance states in which the RDS_LOGGING_ENABLED and
# RDS_INSTANCE_IAM_AUTHENTICATION_ENABLED managed rules evaluate an instance; in any other
# state (creating, stopped, modifying, ...) they report NOT_APPLICABLE.
evaluated_instance_states := {"available", "backing-up", "storage-optimization", "storage-full"}

# instance_in_evaluated_state(conf): conf.dBInstanceStatus is one of those states.
instance_in_evaluated_state(conf) if {
	is_string(conf.dBInstanceStatus)
	lower(trim_space(conf.dBInstanceStatus)) in evaluated_instance_states
}

# publicly_restorable(attributes): a DBSnapshotAttributes / DBClusterSnapshotAttributes
# list (supplementaryConfiguration) has a "restore" attribute whose attributeValues
# contain "all", i.e. any AWS account may copy or restore the snapshot.
publicly_restorable(attributes) if {
	is_array(attributes)
	some attribute in attributes
	is_object(attribute)
	is_string(attribute.attributeName)
	lower(attribute.attributeName) == "restore"
	is_array(attribute.attributeValues)
	some value in attribute.attributeValues
	is_string(value)
	lower(trim_space(value)) == "all"
}
