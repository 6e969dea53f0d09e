//! Databases: RDS DB instances and DynamoDB tables.

use super::{ci, rel, Ctx, Head, Tags, MULTI_AZ, NOT_APPLICABLE};
use crate::json::{arr, obj, strs, J};
use crate::plan::Mode;
use crate::time::{iso, iso_s, DAY, HOUR};
use crate::world::{DB_CLASSES, ENGINES};

pub fn db_instance(ctx: &Ctx, i: usize) -> J {
    let db = &ctx.f.rds[i];
    let m = &db.m;
    let mut r = m.rng();
    let region = ctx.f.region;
    let engine = &ENGINES[db.engine].1;
    let version = *r.pick(engine.versions);
    let class = *r.pick(DB_CLASSES);
    let vpc = &ctx.f.vpcs[db.vpc];
    let multi_az = !m.has(Mode::RdsSingleAz);
    let primary_az = ctx.f.subnets[db.subnets[0]].az;
    let encrypted = !m.has(Mode::RdsUnencrypted);
    let arn = ctx.arn("rds", &format!("db:{}", db.name));
    let tags = Tags::standard(&mut r, m, None).with("Backup", "daily");
    let endpoint_hash = r.string(b"abcdefghijklmnopqrstuvwxyz0123456789", 12);
    let master = if m.has(Mode::RdsDefaultMasterUser) {
        engine.default_user.to_string()
    } else {
        format!("{}_admin", m.app().replace('-', "_"))
    };
    let subnets: Vec<J> = db
        .subnets
        .iter()
        .map(|&s| {
            obj! {
                "subnetIdentifier" => &ctx.f.subnets[s].id,
                "subnetAvailabilityZone" => obj! { "name" => region.az(ctx.f.subnets[s].az) },
                "subnetOutpost" => obj! { "arn" => J::Null },
                "subnetStatus" => "Active",
            }
        })
        .collect();
    let subnet_group = format!("{}-{}-db-subnets", m.app(), m.env());
    let monitoring = r.chance(0.7);
    let storage = *r.pick(&[20i64, 50, 100, 200, 500, 1000]);
    let backup_window_h = r.range(0, 23);
    let maintenance = {
        let day = r.pick(&["sun", "mon", "tue", "wed", "thu", "fri", "sat"]);
        let h = (backup_window_h + 3) % 24;
        format!("{day}:{h:02}:00-{day}:{h:02}:30")
    };
    let conf = obj! {
        "dBInstanceIdentifier" => &db.name,
        "dBInstanceClass" => class,
        "engine" => engine.name,
        "dBInstanceStatus" => "available",
        "automaticRestartTime" => J::Null,
        "masterUsername" => master,
        "dBName" => if engine.name.starts_with("sqlserver") { J::Null } else { J::from(m.app().replace('-', "_")) },
        "endpoint" => obj! {
            "address" => format!("{}.{endpoint_hash}.{}.rds.amazonaws.com", db.name, region.name),
            "port" => engine.port,
            "hostedZoneId" => format!("Z{}", r.string(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", 13)),
        },
        "allocatedStorage" => storage,
        "instanceCreateTime" => iso(m.created),
        "preferredBackupWindow" => format!("{backup_window_h:02}:00-{backup_window_h:02}:30"),
        "backupRetentionPeriod" => if m.has(Mode::RdsShortBackup) { *r.pick(&[0i64, 1, 3]) } else { *r.pick(&[7i64, 14, 35]) },
        "dBSecurityGroups" => arr![],
        "vpcSecurityGroups" => J::Arr(db.sgs.iter().map(|&g| obj! {
            "vpcSecurityGroupId" => &ctx.f.sgs[g].id,
            "status" => "active",
        }).collect()),
        "dBParameterGroups" => arr![obj! { "dBParameterGroupName" => engine.param_family, "parameterApplyStatus" => "in-sync" }],
        "availabilityZone" => region.az(primary_az),
        "dBSubnetGroup" => obj! {
            "dBSubnetGroupName" => &subnet_group,
            "dBSubnetGroupDescription" => format!("Subnets for {}", db.name),
            "vpcId" => &vpc.id,
            "subnetGroupStatus" => "Complete",
            "subnets" => subnets,
            "dBSubnetGroupArn" => J::Null,
            "supportedNetworkTypes" => arr![],
        },
        "preferredMaintenanceWindow" => maintenance,
        "pendingModifiedValues" => obj! {},
        "latestRestorableTime" => iso(ctx.f.snapshot_ms - r.range(60_000, 600_000)),
        "multiAZ" => multi_az,
        "engineVersion" => version,
        "autoMinorVersionUpgrade" => !m.has(Mode::RdsNoAutoMinorUpgrade),
        "readReplicaDBInstanceIdentifiers" => arr![],
        "licenseModel" => engine.license,
        "iops" => if storage >= 400 { J::Int(12_000) } else { J::Null },
        "optionGroupMemberships" => arr![obj! { "optionGroupName" => engine.option_group, "status" => "in-sync" }],
        "secondaryAvailabilityZone" => if multi_az { J::from(region.az(primary_az + 1)) } else { J::Null },
        "publiclyAccessible" => m.has(Mode::RdsPublic),
        "statusInfos" => arr![],
        "storageType" => if storage >= 400 { "io1" } else { "gp3" },
        "dbInstancePort" => 0,
        "storageEncrypted" => encrypted,
    };
    let mut conf = conf;
    if encrypted {
        conf.push("kmsKeyId", ctx.kms_key("rds", r.next_u64(), r.chance(0.5)));
    }
    let conf = conf
        .with("dbiResourceId", &db.dbi)
        .with("cACertificateIdentifier", "rds-ca-rsa2048-g1")
        .with("domainMemberships", arr![])
        .with("copyTagsToSnapshot", r.chance(0.8))
        .with("monitoringInterval", if monitoring { 60 } else { 0 })
        .with_opt(
            "monitoringRoleArn",
            monitoring.then(|| format!("arn:aws:iam::{}:role/rds-monitoring-role", ctx.account())),
        )
        .with("dBInstanceArn", &arn)
        .with("iAMDatabaseAuthenticationEnabled", !m.has(Mode::RdsNoIamAuth))
        .with("performanceInsightsEnabled", r.chance(0.6))
        .with("enabledCloudwatchLogsExports", strs(engine.logs))
        .with("processorFeatures", arr![])
        .with("deletionProtection", !m.has(Mode::RdsNoDeletionProtection))
        .with("associatedRoles", arr![])
        .with("maxAllocatedStorage", storage * 4)
        .with("tagList", tags.list())
        .with("customerOwnedIpEnabled", false)
        .with("backupTarget", "region")
        .with("networkType", "IPV4")
        .with("storageThroughput", if storage >= 400 { J::Null } else { J::Int(125) })
        .with(
            "certificateDetails",
            obj! {
                "cAIdentifier" => "rds-ca-rsa2048-g1",
                "validTill" => iso_s(ctx.f.snapshot_ms + r.range(100, 390) * DAY + r.range(0, 23) * HOUR),
            },
        )
        .with("dedicatedLogVolume", false);
    let mut rels = vec![rel(
        "AWS::RDS::DBSubnetGroup",
        Some(&subnet_group),
        Some(&subnet_group),
        "Is associated with DBSubnetGroup",
    )];
    rels.extend(db.sgs.iter().map(|&g| {
        rel(
            "AWS::EC2::SecurityGroup",
            Some(&ctx.f.sgs[g].id),
            None,
            "Is associated with SecurityGroup",
        )
    }));
    let az = if multi_az {
        MULTI_AZ.to_string()
    } else {
        region.az(primary_az)
    };
    let head = Head::new("AWS::RDS::DBInstance", &db.dbi, az)
        .name(&db.name)
        .arn(arn);
    let supp = obj! { "Tags" => tags.list() };
    ci(ctx, m, head, rels, conf, supp, tags.map())
}

pub fn table(ctx: &Ctx, i: usize) -> J {
    let t = &ctx.f.tables[i];
    let m = &t.m;
    let mut r = m.rng();
    let arn = ctx.arn("dynamodb", &format!("table/{}", t.name));
    let tags = Tags::standard(&mut r, m, None);
    let on_demand = r.chance(0.6);
    let with_sort = r.chance(0.6);
    let mut attrs = vec![obj! { "attributeName" => "pk", "attributeType" => "S" }];
    let mut key = vec![obj! { "attributeName" => "pk", "keyType" => "HASH" }];
    if with_sort {
        attrs.push(obj! { "attributeName" => "sk", "attributeType" => "S" });
        key.push(obj! { "attributeName" => "sk", "keyType" => "RANGE" });
    }
    let created_s = m.created - m.created.rem_euclid(1000);
    let (rcu, wcu) = if on_demand {
        (0, 0)
    } else {
        (*r.pick(&[5i64, 10, 25, 100]), *r.pick(&[5i64, 10, 25, 50]))
    };
    let items = r.range(0, 50_000_000);
    let mut conf = obj! {
        "attributeDefinitions" => attrs,
        "tableName" => &t.name,
        "keySchema" => key,
        "tableStatus" => "ACTIVE",
        "creationDateTime" => created_s,
        "provisionedThroughput" => obj! {
            "numberOfDecreasesToday" => 0,
            "readCapacityUnits" => rcu,
            "writeCapacityUnits" => wcu,
        },
        "tableSizeBytes" => items * r.range(80, 900),
        "itemCount" => items,
        "tableArn" => &arn,
        "tableId" => r.uuid(),
    };
    if on_demand {
        conf.push(
            "billingModeSummary",
            obj! { "billingMode" => "PAY_PER_REQUEST", "lastUpdateToPayPerRequestDateTime" => created_s },
        );
    }
    if r.chance(0.3) {
        let label = iso(m.created).trim_end_matches('Z').to_string();
        conf.push(
            "streamSpecification",
            obj! { "streamEnabled" => true, "streamViewType" => "NEW_AND_OLD_IMAGES" },
        );
        conf.push("latestStreamLabel", label.clone());
        conf.push("latestStreamArn", format!("{arn}/stream/{label}"));
    }
    if r.chance(0.5) {
        conf.push(
            "sSEDescription",
            obj! { "status" => "ENABLED", "sSEType" => "KMS", "kMSMasterKeyArn" => ctx.kms_key("dynamodb", r.next_u64(), true) },
        );
    }
    conf.push(
        "deletionProtectionEnabled",
        !m.has(Mode::TableNoDeletionProtection),
    );
    let pitr = if m.has(Mode::TableNoPitr) {
        "DISABLED"
    } else {
        "ENABLED"
    };
    let mut pitr_desc = obj! { "pointInTimeRecoveryStatus" => pitr };
    if pitr == "ENABLED" {
        pitr_desc.push("earliestRestorableDateTime", ctx.f.snapshot_ms - 35 * DAY);
        pitr_desc.push("latestRestorableDateTime", ctx.f.snapshot_ms - 5 * 60_000);
    }
    let supp = obj! {
        "ContinuousBackupsDescription" => obj! {
            "continuousBackupsStatus" => "ENABLED",
            "pointInTimeRecoveryDescription" => pitr_desc,
        },
        "Tags" => tags.list(),
    };
    let head = Head::new("AWS::DynamoDB::Table", &t.name, NOT_APPLICABLE)
        .name(&t.name)
        .arn(arn);
    ci(ctx, m, head, Vec::new(), conf, supp, tags.map())
}
