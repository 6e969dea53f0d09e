//! How many resources of each type a file gets.

use super::{Kind, Shape};

/// Share of CIs per type, in tenths of a percent (sums to 1000 with the IAM shares).
pub const REGIONAL_WEIGHTS: [(Kind, u32); 14] = [
    (Kind::Eni, 170),
    (Kind::Sg, 120),
    (Kind::Volume, 120),
    (Kind::Instance, 80),
    (Kind::Subnet, 80),
    (Kind::Vpc, 20),
    (Kind::Bucket, 60),
    (Kind::Rds, 25),
    (Kind::Key, 40),
    (Kind::Lambda, 50),
    (Kind::Topic, 25),
    (Kind::Queue, 25),
    (Kind::Elb, 15),
    (Kind::Table, 20),
];
/// The security-group-heavy estate (`--shape sg-heavy`): a quarter of all items are
/// security groups, half of them the default group of a VPC of their own (so as many VPCs
/// and subnets), fewer of everything else; the regional shares still sum to 850.
pub const SG_HEAVY_WEIGHTS: [(Kind, u32); 14] = [
    (Kind::Eni, 120),
    (Kind::Sg, 250),
    (Kind::Volume, 60),
    (Kind::Instance, 40),
    (Kind::Subnet, 125),
    (Kind::Vpc, 125),
    (Kind::Bucket, 30),
    (Kind::Rds, 10),
    (Kind::Key, 20),
    (Kind::Lambda, 30),
    (Kind::Topic, 10),
    (Kind::Queue, 10),
    (Kind::Elb, 5),
    (Kind::Table, 15),
];
pub const IAM_WEIGHTS: [(Kind, u32); 3] = [(Kind::Role, 90), (Kind::Policy, 40), (Kind::User, 20)];

/// Splits `total` over `weights` (largest remainder, ties to the earlier entry).
pub fn apportion(total: usize, weights: &[u32]) -> Vec<usize> {
    let sum: u64 = weights.iter().map(|&w| u64::from(w)).sum();
    let mut out: Vec<usize> = weights
        .iter()
        .map(|&w| (total as u64 * u64::from(w) / sum) as usize)
        .collect();
    let mut rest = total - out.iter().sum::<usize>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by_key(|&i| {
        let r = total as u64 * u64::from(weights[i]) % sum;
        (std::cmp::Reverse(r), i)
    });
    for &i in order.iter().cycle() {
        if rest == 0 {
            break;
        }
        out[i] += 1;
        rest -= 1;
    }
    out
}

/// Even split with the remainder going to the first parts.
pub fn split(total: usize, parts: usize) -> Vec<usize> {
    (0..parts)
        .map(|i| total / parts + usize::from(i < total % parts))
        .collect()
}

#[derive(Clone, Copy, Default, Debug)]
pub struct Counts {
    pub eni: usize,
    pub sg: usize,
    pub volume: usize,
    pub instance: usize,
    pub subnet: usize,
    pub vpc: usize,
    pub bucket: usize,
    pub rds: usize,
    pub key: usize,
    pub lambda: usize,
    pub topic: usize,
    pub queue: usize,
    pub elb: usize,
    pub table: usize,
}

impl Counts {
    pub fn from_budget(budget: usize, shape: Shape) -> Counts {
        let weights = match shape {
            Shape::Enterprise => &REGIONAL_WEIGHTS,
            Shape::SgHeavy => &SG_HEAVY_WEIGHTS,
        };
        let w: Vec<u32> = weights.iter().map(|(_, w)| *w).collect();
        let a = apportion(budget, &w);
        let mut c = Counts {
            eni: a[0],
            sg: a[1],
            volume: a[2],
            instance: a[3],
            subnet: a[4],
            vpc: a[5],
            bucket: a[6],
            rds: a[7],
            key: a[8],
            lambda: a[9],
            topic: a[10],
            queue: a[11],
            elb: a[12],
            table: a[13],
        };
        c.settle(budget);
        c
    }

    fn sum(&self) -> usize {
        self.eni
            + self.sg
            + self.volume
            + self.instance
            + self.subnet
            + self.vpc
            + self.bucket
            + self.rds
            + self.key
            + self.lambda
            + self.topic
            + self.queue
            + self.elb
            + self.table
    }

    fn eni_floor(&self) -> usize {
        self.instance + 2 * self.elb + self.rds
    }

    /// Applies the structural minimums (every VPC has a subnet and a default security
    /// group, every instance an interface, ...) and then trims back to `budget` where it can.
    fn settle(&mut self, budget: usize) {
        loop {
            self.vpc = self.vpc.max(1).max(self.subnet.div_ceil(48));
            self.subnet = self.subnet.max(self.vpc);
            self.sg = self.sg.max(self.vpc);
            self.eni = self.eni.max(self.eni_floor());
            let sum = self.sum();
            if sum <= budget {
                self.eni += budget - sum;
                return;
            }
            let eni_floor = self.eni_floor();
            let vpc = self.vpc;
            let candidates: [(&mut usize, usize); 13] = [
                (&mut self.eni, eni_floor),
                (&mut self.volume, 0),
                (&mut self.sg, vpc),
                (&mut self.instance, 0),
                (&mut self.subnet, vpc),
                (&mut self.bucket, 0),
                (&mut self.lambda, 0),
                (&mut self.key, 0),
                (&mut self.topic, 0),
                (&mut self.queue, 0),
                (&mut self.table, 0),
                (&mut self.rds, 0),
                (&mut self.elb, 0),
            ];
            let best = candidates
                .into_iter()
                .filter(|(c, floor)| **c > *floor)
                .max_by_key(|(c, floor)| **c - *floor);
            match best {
                Some((c, _)) => *c -= 1,
                None => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn apportion_is_exact() {
        for total in [0, 1, 7, 85, 360, 99_999] {
            let a = apportion(total, &[170, 120, 120, 80, 5]);
            assert_eq!(a.iter().sum::<usize>(), total);
        }
    }

    #[test]
    fn counts_fill_budget() {
        for budget in [20, 74, 75, 300, 1000, 20_000] {
            for shape in [Shape::Enterprise, Shape::SgHeavy] {
                let c = Counts::from_budget(budget, shape);
                assert_eq!(c.sum(), budget, "{c:?}");
                assert!(c.eni >= c.eni_floor());
                assert!(c.subnet >= c.vpc && c.sg >= c.vpc && c.vpc >= 1);
            }
        }
    }

    #[test]
    fn the_sg_heavy_shape_is_a_quarter_security_groups_half_of_them_default() {
        let c = Counts::from_budget(20_000, Shape::SgHeavy);
        let share = c.sg as f64 / 20_000.0 * 850.0 / 1000.0;
        assert!((0.24..0.26).contains(&share), "{c:?}");
        assert!(c.vpc * 2 >= c.sg - 2 && c.vpc * 2 <= c.sg + 2, "{c:?}");
    }
}
