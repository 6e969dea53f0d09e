//! Makes sure small estates still contain every case the demo needs.

use super::*;
use crate::rng::mix;

/// Collects mutable references to the live (not deleted) resources of one kind, across all
/// files, in plan order. Volumes count only when attached: that is what EC2.3 looks at.
fn metas_of(estate: &mut Estate, kind: Kind) -> Vec<&mut Meta> {
    let mut out: Vec<&mut Meta> = Vec::new();
    if kind == Kind::Apab {
        out.extend(estate.accounts.iter_mut().map(|a| &mut a.apab));
        return out;
    }
    for f in &mut estate.files {
        match kind {
            Kind::Apab => {}
            Kind::Vpc => out.extend(f.vpcs.iter_mut().map(|x| &mut x.m)),
            Kind::Subnet => out.extend(f.subnets.iter_mut().map(|x| &mut x.m)),
            Kind::DefaultSg => {
                out.extend(f.sgs.iter_mut().filter(|x| x.is_default).map(|x| &mut x.m))
            }
            Kind::Sg => out.extend(f.sgs.iter_mut().filter(|x| !x.is_default).map(|x| &mut x.m)),
            Kind::Instance => out.extend(f.instances.iter_mut().map(|x| &mut x.m)),
            Kind::Eni => out.extend(f.enis.iter_mut().map(|x| &mut x.m)),
            Kind::Volume => out.extend(
                f.volumes
                    .iter_mut()
                    .filter(|x| x.attachment.is_some())
                    .map(|x| &mut x.m),
            ),
            Kind::Bucket => out.extend(f.buckets.iter_mut().map(|x| &mut x.m)),
            Kind::Rds => out.extend(f.rds.iter_mut().map(|x| &mut x.m)),
            Kind::Trail => out.extend(f.trails.iter_mut().map(|x| &mut x.m)),
            Kind::Key => out.extend(
                f.keys
                    .iter_mut()
                    .filter(|x| !x.aws_managed)
                    .map(|x| &mut x.m),
            ),
            Kind::Lambda => out.extend(f.lambdas.iter_mut().map(|x| &mut x.m)),
            Kind::Topic => out.extend(f.topics.iter_mut().map(|x| &mut x.m)),
            Kind::Queue => out.extend(f.queues.iter_mut().map(|x| &mut x.m)),
            Kind::Elb => out.extend(f.elbs.iter_mut().map(|x| &mut x.m)),
            Kind::Table => out.extend(f.tables.iter_mut().map(|x| &mut x.m)),
            Kind::Role => out.extend(
                f.roles
                    .iter_mut()
                    .filter(|x| {
                        !matches!(
                            x.kind,
                            RoleKind::ServiceLinked(_) | RoleKind::Sso(_) | RoleKind::Support
                        )
                    })
                    .map(|x| &mut x.m),
            ),
            Kind::Policy => out.extend(f.policies.iter_mut().map(|x| &mut x.m)),
            Kind::User => out.extend(f.users.iter_mut().map(|x| &mut x.m)),
        }
    }
    out.retain(|m| !m.deleted());
    out
}

/// Cases the demo (and any small estate) must contain both ways round: at least one resource
/// with the misconfiguration and at least one compliant resource of the same kind.
pub const REQUIRED: &[(Kind, Mode)] = &[
    (Kind::Bucket, Mode::S3NoSslPolicy),
    (Kind::Bucket, Mode::S3NoPublicAccessBlock),
    (Kind::Apab, Mode::ApabFlagFalse),
    (Kind::DefaultSg, Mode::DefaultSgRules),
    (Kind::Sg, Mode::SgSshWorld),
    (Kind::Sg, Mode::SgHighRiskPort),
    (Kind::Volume, Mode::VolUnencrypted),
    (Kind::Rds, Mode::RdsPublic),
    (Kind::Rds, Mode::RdsUnencrypted),
    (Kind::Trail, Mode::TrailNoKms),
];

/// Makes small estates cover every required case (and, while at least 60% of a kind stays
/// compliant, every other failure mode). Large estates already do, and are left untouched.
/// Not applied with `--fail-rate` 0 or 1.
pub(super) fn ensure_coverage(estate: &mut Estate, seed: u64) {
    let pick = |len: usize, salt: u64| (mix(seed, salt) % len as u64) as usize;
    // 1. At least one compliant resource of every kind that has several.
    for kind in Kind::ALL {
        let mut ms = metas_of(estate, kind);
        if ms.len() >= 2 && ms.iter().all(|m| !m.compliant()) {
            // Keep the item count: prefer an account whose block is present anyway.
            let cands: Vec<usize> = (0..ms.len())
                .filter(|&i| !ms[i].has(Mode::ApabMissing))
                .collect();
            let i = if cands.is_empty() {
                pick(ms.len(), kind as u64)
            } else {
                cands[pick(cands.len(), kind as u64)]
            };
            ms[i].fails = 0;
        }
    }
    // 2. Required failure cases, without using up the last compliant resource.
    for &(kind, mode) in REQUIRED {
        let mut ms = metas_of(estate, kind);
        let present = ms.iter().any(|m| match kind {
            Kind::Apab => !m.compliant(),
            _ => m.has(mode),
        });
        if present || ms.len() < 2 {
            continue;
        }
        let compliant: Vec<usize> = (0..ms.len()).filter(|&i| ms[i].compliant()).collect();
        let failing: Vec<usize> = (0..ms.len()).filter(|&i| !ms[i].compliant()).collect();
        let salt = 0x100 + ((kind as u64) << 8) + mode as u64;
        let target = if compliant.len() >= 2 {
            compliant[pick(compliant.len(), salt)]
        } else {
            failing[pick(failing.len(), salt)]
        };
        ms[target].fails |= mode.bit();
    }
    // 3. Other failure modes, opportunistically.
    for kind in Kind::ALL {
        for &mode in kind.modes() {
            if kind == Kind::Apab {
                continue;
            }
            let mut ms = metas_of(estate, kind);
            if ms.iter().any(|m| m.has(mode)) {
                continue;
            }
            let compliant: Vec<usize> = (0..ms.len()).filter(|&i| ms[i].compliant()).collect();
            if compliant.is_empty() || (compliant.len() - 1) * 10 < ms.len() * 6 {
                continue;
            }
            let salt = 0x200 + ((kind as u64) << 8) + mode as u64;
            let target = compliant[pick(compliant.len(), salt)];
            ms[target].fails |= mode.bit();
        }
    }
}

/// For tests and the summary: does the estate hold `mode` (or a compliant resource, with
/// `None`) for `kind`?
#[cfg(test)]
pub fn holds(estate: &mut Estate, kind: Kind, mode: Option<Mode>) -> bool {
    metas_of(estate, kind).iter().any(|m| match mode {
        Some(Mode::ApabFlagFalse) if kind == Kind::Apab => !m.compliant(),
        Some(mode) => m.has(mode),
        None => m.compliant(),
    })
}

/// (live resources, failing resources) of a kind.
#[cfg(test)]
pub fn count(estate: &mut Estate, kind: Kind) -> (usize, usize) {
    let ms = metas_of(estate, kind);
    (ms.len(), ms.iter().filter(|m| !m.compliant()).count())
}
