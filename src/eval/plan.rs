//! Which controls a pass runs, grouped by the resource types they evaluate.

use crate::policy::{metadata::ACCOUNT_TYPE, Control, Pack};
use std::collections::{BTreeMap, HashMap};

/// The controls of one pass over the items, grouped into scopes: one per distinct list of
/// controls of a resource type (types sharing all their controls share one), then the
/// account-level controls.
pub struct Plan<'p> {
    pub scopes: Vec<Vec<usize>>,
    scope_of_type: HashMap<&'p str, usize>,
    pub account_scope: usize,
}

impl<'p> Plan<'p> {
    pub fn new(pack: &'p Pack, include: impl Fn(&Control) -> bool) -> Self {
        let mut by_type: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        let mut account = Vec::new();
        for (index, control) in pack.controls.iter().enumerate() {
            if !include(control) {
                continue;
            }
            for t in &control.meta.resource_types {
                if t == ACCOUNT_TYPE {
                    account.push(index);
                } else {
                    by_type.entry(t.as_str()).or_default().push(index);
                }
            }
        }
        let mut scopes: Vec<Vec<usize>> = Vec::new();
        let mut scope_of_type = HashMap::new();
        for (t, controls) in by_type {
            let scope = match scopes.iter().position(|s| *s == controls) {
                Some(scope) => scope,
                None => {
                    scopes.push(controls);
                    scopes.len() - 1
                }
            };
            scope_of_type.insert(t, scope);
        }
        let account_scope = scopes.len();
        scopes.push(account);
        Plan {
            scopes,
            scope_of_type,
            account_scope,
        }
    }

    pub fn scope(&self, resource_type: &str) -> Option<usize> {
        self.scope_of_type.get(resource_type).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.scopes.iter().all(Vec::is_empty)
    }
}

/// The names of a pass's steps in `Outcome::phases`.
pub struct Steps {
    pub views: &'static str,
    pub programs: &'static str,
    pub controls: &'static str,
}

pub const INVENTORY_PASS: Steps = Steps {
    views: "views",
    programs: "vm programs",
    controls: "controls",
};

pub const PLAIN_PASS: Steps = Steps {
    views: "views (no inventory)",
    programs: "vm programs (no inventory)",
    controls: "controls (no inventory)",
};
