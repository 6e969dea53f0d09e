//! Static vocabulary: regions, names and product catalogues the generator draws from.

pub struct Region {
    pub name: &'static str,
    /// Prefix of zone ids (`use1` in `use1-az4`).
    pub short: &'static str,
    /// Zone letters that exist in the region.
    pub zones: &'static [char],
}

impl Region {
    pub fn az(&self, i: usize) -> String {
        format!("{}{}", self.name, self.zones[i % self.zones.len()])
    }

    pub fn az_id(&self, i: usize) -> String {
        format!("{}-az{}", self.short, i % self.zones.len() + 1)
    }

    pub fn private_dns(&self, ip: &str) -> String {
        let host = format!("ip-{}", ip.replace('.', "-"));
        if self.name == "us-east-1" {
            format!("{host}.ec2.internal")
        } else {
            format!("{host}.{}.compute.internal", self.name)
        }
    }

    pub fn public_dns(&self, ip: &str) -> String {
        let host = format!("ec2-{}", ip.replace('.', "-"));
        if self.name == "us-east-1" {
            format!("{host}.compute-1.amazonaws.com")
        } else {
            format!("{host}.{}.compute.amazonaws.com", self.name)
        }
    }
}

/// Regions in the order `--regions N` takes them.
pub const REGIONS: &[Region] = &[
    Region {
        name: "us-east-1",
        short: "use1",
        zones: &['a', 'b', 'c', 'd', 'f'],
    },
    Region {
        name: "eu-west-1",
        short: "euw1",
        zones: &['a', 'b', 'c'],
    },
    Region {
        name: "us-west-2",
        short: "usw2",
        zones: &['a', 'b', 'c', 'd'],
    },
    Region {
        name: "eu-central-1",
        short: "euc1",
        zones: &['a', 'b', 'c'],
    },
    Region {
        name: "ap-southeast-2",
        short: "apse2",
        zones: &['a', 'b', 'c'],
    },
    Region {
        name: "us-east-2",
        short: "use2",
        zones: &['a', 'b', 'c'],
    },
    Region {
        name: "eu-west-2",
        short: "euw2",
        zones: &['a', 'b', 'c'],
    },
    Region {
        name: "ap-northeast-1",
        short: "apne1",
        zones: &['a', 'c', 'd'],
    },
    Region {
        name: "ap-southeast-1",
        short: "apse1",
        zones: &['a', 'b', 'c'],
    },
    Region {
        name: "ca-central-1",
        short: "cac1",
        zones: &['a', 'b', 'd'],
    },
    Region {
        name: "eu-north-1",
        short: "eun1",
        zones: &['a', 'b', 'c'],
    },
    Region {
        name: "ap-south-1",
        short: "aps1",
        zones: &['a', 'b', 'c'],
    },
    Region {
        name: "sa-east-1",
        short: "sae1",
        zones: &['a', 'b', 'c'],
    },
    Region {
        name: "us-west-1",
        short: "usw1",
        zones: &['a', 'c'],
    },
    Region {
        name: "eu-west-3",
        short: "euw3",
        zones: &['a', 'b', 'c'],
    },
    Region {
        name: "ap-northeast-2",
        short: "apne2",
        zones: &['a', 'b', 'c', 'd'],
    },
];

pub const ORGS: &[&str] = &[
    "acme", "globex", "initech", "umbrella", "hooli", "stark", "wayne", "wonka", "tyrell",
    "soylent",
];

/// Environment (index into [`ENVS`]) of each account in turn: prod workloads, shared
/// services, dev, staging, data platform, security tooling, log archive, sandbox, network
/// hub, QA. Most resources carry their account's environment tag.
pub const ACCOUNT_ENVS: &[usize] = &[0, 5, 2, 1, 0, 5, 5, 4, 5, 3];

/// Values of the `Environment` tag (indexed by `Meta::env`).
pub const ENVS: &[&str] = &["prod", "staging", "dev", "qa", "sandbox", "shared"];

pub const APPS: &[&str] = &[
    "payments",
    "ledger",
    "checkout",
    "catalog",
    "identity",
    "search",
    "reporting",
    "billing",
    "notifications",
    "analytics",
    "inventory",
    "orders",
    "gateway",
    "auth",
    "datalake",
    "etl",
    "ml-platform",
    "crm",
    "portal",
    "monitoring",
    "logistics",
    "pricing",
    "risk",
    "fraud",
    "customer360",
    "mobile-api",
    "web",
    "cms",
    "scheduler",
    "batch",
];

pub const TEAMS: &[&str] = &[
    "platform",
    "payments-team",
    "data-eng",
    "sre",
    "security",
    "web-team",
    "mobile",
    "finance-it",
    "analytics",
    "core-services",
];

pub const BUCKET_PURPOSES: &[&str] = &[
    "artifacts",
    "logs",
    "data",
    "backups",
    "static-assets",
    "uploads",
    "reports",
    "tfstate",
    "athena-results",
    "exports",
    "raw",
    "curated",
    "config",
    "media",
];

pub const FUNCTION_VERBS: &[&str] = &[
    "processor",
    "handler",
    "api",
    "worker",
    "ingest",
    "notifier",
    "authorizer",
    "cleanup",
    "export",
    "sync",
    "resize",
    "scheduler",
    "router",
    "validator",
];

pub const TABLE_ENTITIES: &[&str] = &[
    "sessions",
    "orders",
    "events",
    "users",
    "locks",
    "idempotency",
    "audit",
    "config",
    "jobs",
    "inventory",
    "carts",
    "tokens",
];

pub const QUEUE_TOPICS: &[&str] = &[
    "events",
    "jobs",
    "orders",
    "notifications",
    "ingest",
    "alerts",
    "audit",
    "exports",
    "retries",
    "webhooks",
];

/// (type, vCPUs, arm64)
pub const INSTANCE_TYPES: &[(u32, (&str, u32, bool))] = &[
    (8, ("t3.micro", 2, false)),
    (14, ("t3.medium", 2, false)),
    (10, ("t3.large", 2, false)),
    (12, ("m5.large", 2, false)),
    (8, ("m5.xlarge", 4, false)),
    (10, ("m6i.large", 2, false)),
    (5, ("m6i.2xlarge", 8, false)),
    (6, ("c5.xlarge", 4, false)),
    (5, ("c6g.large", 2, true)),
    (6, ("r5.large", 2, false)),
    (4, ("r6g.xlarge", 4, true)),
    (6, ("m7g.large", 2, true)),
    (3, ("t4g.medium", 2, true)),
];

pub struct Engine {
    pub name: &'static str,
    pub versions: &'static [&'static str],
    pub port: i64,
    pub param_family: &'static str,
    pub option_group: &'static str,
    pub license: &'static str,
    pub logs: &'static [&'static str],
    pub default_user: &'static str,
}

pub const ENGINES: &[(u32, Engine)] = &[
    (
        45,
        Engine {
            name: "postgres",
            versions: &["16.4", "15.8", "14.13"],
            port: 5432,
            param_family: "default.postgres16",
            option_group: "default:postgres-16",
            license: "postgresql-license",
            logs: &["postgresql", "upgrade"],
            default_user: "postgres",
        },
    ),
    (
        30,
        Engine {
            name: "mysql",
            versions: &["8.0.39", "8.0.35"],
            port: 3306,
            param_family: "default.mysql8.0",
            option_group: "default:mysql-8-0",
            license: "general-public-license",
            logs: &["audit", "error", "general", "slowquery"],
            default_user: "admin",
        },
    ),
    (
        10,
        Engine {
            name: "mariadb",
            versions: &["10.11.9", "10.6.19"],
            port: 3306,
            param_family: "default.mariadb10.11",
            option_group: "default:mariadb-10-11",
            license: "general-public-license",
            logs: &["audit", "error", "general", "slowquery"],
            default_user: "admin",
        },
    ),
    (
        8,
        Engine {
            name: "sqlserver-se",
            versions: &["15.00.4385.2.v1"],
            port: 1433,
            param_family: "default.sqlserver-se-15.0",
            option_group: "default:sqlserver-se-15-00",
            license: "license-included",
            logs: &["agent", "error"],
            default_user: "admin",
        },
    ),
    (
        7,
        Engine {
            name: "oracle-ee",
            versions: &["19.0.0.0.ru-2024-07.rur-2024-07.r1"],
            port: 1521,
            param_family: "default.oracle-ee-19",
            option_group: "default:oracle-ee-19",
            license: "bring-your-own-license",
            logs: &["alert", "audit", "listener", "trace"],
            default_user: "admin",
        },
    ),
];

pub const DB_CLASSES: &[&str] = &[
    "db.t3.medium",
    "db.t4g.large",
    "db.m6g.large",
    "db.m6i.xlarge",
    "db.r6g.xlarge",
    "db.r6i.2xlarge",
    "db.m5.large",
];

pub const RUNTIMES_OK: &[&str] = &[
    "python3.12",
    "python3.11",
    "nodejs20.x",
    "nodejs22.x",
    "java21",
    "java17",
    "provided.al2023",
    "dotnet8",
    "ruby3.3",
    "python3.13",
];

pub const RUNTIMES_DEPRECATED: &[&str] = &[
    "python3.7",
    "python3.8",
    "nodejs14.x",
    "nodejs16.x",
    "go1.x",
    "dotnetcore3.1",
    "ruby2.7",
];

/// High-risk ports of AFSBP EC2.19 other than 22 and 3389.
pub const HIGH_RISK_PORTS: &[i64] = &[
    20, 21, 23, 25, 110, 135, 143, 445, 1433, 1434, 3000, 3306, 4333, 5000, 5432, 5500, 5601, 8080,
    8088, 8888, 9200, 9300,
];

pub const FIRST_NAMES: &[&str] = &[
    "alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy", "mallory",
    "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter", "yolanda",
];

pub const LAST_NAMES: &[&str] = &[
    "smith", "jones", "garcia", "miller", "davis", "lopez", "wilson", "anderson", "thomas",
    "moore", "martin", "lee", "clark", "lewis", "walker", "young", "king", "wright", "scott",
];

pub const SERVICE_USERS: &[&str] = &[
    "terraform-ci",
    "jenkins",
    "svc-legacy-ftp",
    "datadog-integration",
    "break-glass-admin",
    "monitoring-ro",
    "backup-agent",
    "github-actions",
    "splunk-forwarder",
    "svc-reporting",
];

pub const GROUPS: &[&str] = &[
    "Developers",
    "ReadOnly",
    "Operators",
    "DataEngineers",
    "Auditors",
];
