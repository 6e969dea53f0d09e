//! Views: library packages under `regent.views` that regent evaluates once per run, without
//! input, and publishes as `data.views.<name>` (see "Views" in policies/README.md).
//!
//! A view runs on regorus's VM when it can: a view scans the whole inventory in one
//! evaluation, so it is the long pole of its phase, and the VM runs the pack's views
//! two to three times faster than the interpreter. Only the rules the pack reads by name are
//! evaluated and published there. The interpreter evaluates the view instead when coverage
//! is recorded, when `--engine interpreter` asks for it, when some file reads the view other
//! than by rule name, when the view has a keyed `contains` rule (the VM returns a set where
//! such a rule defines an object), or when the VM cannot compile or run it.

use super::engine::prepare;
use super::options::{is_budget_error, timer, EngineKind};
use crate::diagnostics::{Code, Problem};
use crate::policy::{regorus_problem, Pack, PackFile};
use rayon::prelude::*;
use regorus::languages::rego::compiler::Compiler;
use regorus::rvm::RegoVM;
use regorus::Value;
use std::collections::BTreeSet;
use std::sync::LazyLock;
use std::time::{Duration, Instant};

/// What publishing the views gave.
#[derive(Default)]
pub struct Published {
    /// The time each view that was computed took.
    pub times: Vec<(String, Duration)>,
    /// The views that failed, each with its problem: they are not published, and the
    /// controls that read them must not be judged (an empty view would pass or fail them
    /// wrongly).
    pub failed: Vec<(String, Problem)>,
}

/// Evaluate every view package of `pack` once and publish the results as
/// `data.views.<name>` in `engine`'s data document. A view that fails costs only the
/// controls that read it.
pub fn publish(
    pack: &Pack,
    engine: &mut regorus::Engine,
    kind: EngineKind,
    coverage: bool,
    budget: Duration,
) -> Published {
    // Only the views some control reads (directly or through its libraries): a run of a
    // few controls, or one fixture in `regent test`, need not compute the others.
    let read: BTreeSet<String> = pack
        .views_read_by_controls()
        .into_iter()
        .flatten()
        .collect();
    let views: Vec<_> = pack
        .views()
        .into_iter()
        .filter(|(name, _, _)| read.contains(name))
        .collect();
    if views.is_empty() {
        return Published::default();
    }
    // Each view is one evaluation over the whole inventory, with a budget of its own.
    engine.set_execution_timer_config(timer(budget));
    let reads = pack.view_reads();
    // The rules to evaluate on the VM, for each view that runs there.
    let on_vm: Vec<Option<&BTreeSet<String>>> = views
        .iter()
        .map(|(name, _, file)| match reads.get(name) {
            _ if coverage || kind == EngineKind::Interpreter => None,
            // No file names the view: nothing says which rules to publish.
            None => None,
            Some(rules) => rules.as_ref().filter(|rules| suits_the_vm(file, rules)),
        })
        .collect();
    // The pack analysed once for every view's program.
    let policy = views
        .iter()
        .zip(&on_vm)
        .find_map(|((_, package, _), rules)| Some(format!("data.{package}.{}", (*rules)?.first()?)))
        .and_then(|entry| engine.compile_with_entrypoint(&entry.as_str().into()).ok());
    let data = policy.as_ref().map(|_| engine.get_data());
    let run = |engine: &mut regorus::Engine, package: &str, file: &PackFile, rules| {
        let start = Instant::now();
        let vm_value = match (&policy, &data, rules) {
            (Some(policy), Some(data), Some(rules)) => {
                on_the_vm(policy, data, package, rules, budget)
            }
            _ => None,
        };
        let value = match vm_value {
            Some(Ok(value)) => value,
            // Out of budget on the VM: the interpreter would only spend it again.
            Some(Err(text)) if is_budget_error(&text) => {
                return Err(Problem::new(
                    Code::EvalTimeout,
                    &file.path,
                    format!("the view `{package}` exceeded its budget of {budget:?}"),
                )
                .with_help("raise --view-timeout if the inventory is that large, or fix the view"))
            }
            // Any other error is reported by the interpreter's evaluation, with its place.
            Some(Err(_)) | None => interpret(engine, package, file)?,
        };
        Ok((value, start.elapsed()))
    };
    // Views are independent: evaluate them in parallel on clones of the prepared engine,
    // except when coverage is recorded, which lives in this one engine.
    let values: Vec<Result<(Value, Duration), Problem>> = if coverage {
        views
            .iter()
            .zip(&on_vm)
            .map(|((_, package, file), rules)| run(engine, package, file, *rules))
            .collect()
    } else {
        let prepared: &regorus::Engine = engine;
        views
            .par_iter()
            .zip(&on_vm)
            .map(|((_, package, file), rules)| run(&mut prepared.clone(), package, file, *rules))
            .collect()
    };
    let mut published = Value::new_object();
    let mut outcome = Published::default();
    for ((name, _, _), value) in views.iter().zip(values) {
        match value {
            Ok((value, time)) => {
                outcome.times.push((name.clone(), time));
                if let Ok(object) = published.as_object_mut() {
                    object.insert(Value::from(name.as_str()), value);
                }
            }
            Err(problem) => outcome.failed.push((name.clone(), problem)),
        }
    }
    let mut root = Value::new_object();
    if let Ok(object) = root.as_object_mut() {
        object.insert(Value::from("views"), published);
    }
    // The base document has no `views` key, so adding one cannot conflict.
    if let Err(err) = engine.add_data(root) {
        let problem = Problem::new(Code::EvalRuntime, "data.views", err.to_string());
        outcome.failed.extend(
            views
                .iter()
                .map(|(name, _, _)| (name.clone(), problem.clone())),
        );
    }
    // Adding data unprepared the engine.
    prepare(engine, pack);
    outcome
}

/// The whole package, on the interpreter.
fn interpret(
    engine: &mut regorus::Engine,
    package: &str,
    file: &PackFile,
) -> Result<Value, Problem> {
    engine
        .eval_query(format!("data.{package}"), false)
        .map(|results| {
            results
                .result
                .first()
                .and_then(|r| r.expressions.first())
                .map(|e| e.value.clone())
                .unwrap_or(Value::Undefined)
        })
        .map_err(|err| {
            let code = if is_budget_error(&err.to_string()) {
                Code::EvalTimeout
            } else {
                Code::EvalRuntime
            };
            regorus_problem(code, &[file], &err)
        })
}

/// Whether the VM may evaluate `rules` of the view in `file`: not when the view has a keyed
/// `contains` rule (the VM returns a set where such a rule defines an object).
fn suits_the_vm(file: &PackFile, rules: &BTreeSet<String>) -> bool {
    static KEYED_CONTAINS: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?m)^[ \t]*[A-Za-z_][A-Za-z0-9_]*[ \t]*\[[^\]\n]*\][ \t]*contains\b")
            .expect("a valid pattern")
    });
    !rules.is_empty() && !KEYED_CONTAINS.is_match(&file.text)
}

/// `rules` of the package, on the VM, as an object like the interpreter's package value
/// (an undefined rule has no key); `None` when the VM cannot compile or run them.
fn on_the_vm(
    policy: &regorus::CompiledPolicy,
    data: &Value,
    package: &str,
    rules: &BTreeSet<String>,
    budget: Duration,
) -> Option<Result<Value, String>> {
    let names: Vec<String> = rules
        .iter()
        .map(|r| format!("data.{package}.{r}"))
        .collect();
    let entries: Vec<&str> = names.iter().map(String::as_str).collect();
    let program = Compiler::compile_from_policy(policy, &entries).ok()?;
    let mut vm = RegoVM::new_with_policy(policy.clone());
    vm.load_program(program);
    vm.set_data(data.clone()).ok()?;
    vm.set_strict_builtin_errors(true);
    // A view's work grows with the inventory: no budget fits every organisation, and the
    // interpreter's evaluation of the same view has none either.
    vm.set_max_instructions(usize::MAX);
    vm.set_execution_timer_config(Some(timer(budget)));
    let mut object = Value::new_object();
    for (index, rule) in rules.iter().enumerate() {
        let value = match vm.execute_entry_point_by_index(index) {
            Ok(value) => value,
            Err(err) => return Some(Err(err.to_string())),
        };
        if value != Value::Undefined {
            object
                .as_object_mut()
                .ok()?
                .insert(Value::from(rule.as_str()), value);
        }
    }
    Some(Ok(object))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view(text: &str) -> PackFile {
        PackFile {
            path: "policies/views/test_view.rego".into(),
            text: text.into(),
            kind: crate::policy::FileKind::Library,
            user: false,
        }
    }

    fn engine_with(file: &PackFile, inventory: serde_json::Value) -> regorus::Engine {
        let mut engine = crate::policy::new_engine();
        engine
            .add_policy(file.path.clone(), file.text.clone())
            .expect("the view compiles");
        engine
            .add_data(Value::from(serde_json::json!({ "inventory": inventory })))
            .expect("data");
        engine
    }

    const VIEW: &str = r#"package regent.views.test_view

by_account := {account: ids |
	some account, regions in data.inventory["AWS::S3::Bucket"]
	ids := {id | some _, items in regions; some id, _ in items}
}

largest := max([count(ids) | some ids in by_account])

_private := 1

nothing := 1 if false
"#;

    #[test]
    fn the_vm_publishes_the_rules_read_as_the_interpreter_computes_them() {
        let file = view(VIEW);
        let inventory = serde_json::json!({"AWS::S3::Bucket": {
            "111122223333": {"us-east-1": {"a": {}, "b": {}}, "eu-west-1": {"c": {}}},
            "444455556666": {"us-east-1": {"d": {}}},
        }});
        let mut engine = engine_with(&file, inventory);
        let package = "regent.views.test_view";
        let whole = interpret(&mut engine, package, &file).expect("the view evaluates");
        let rules: BTreeSet<String> = ["by_account", "largest", "nothing"]
            .map(String::from)
            .into();
        assert!(suits_the_vm(&file, &rules));
        let policy = engine
            .compile_with_entrypoint(&"data.regent.views.test_view.largest".into())
            .expect("compiles");
        let vm = on_the_vm(
            &policy,
            &engine.get_data(),
            package,
            &rules,
            Duration::from_secs(60),
        )
        .expect("the VM compiles it")
        .expect("the VM runs it");
        assert_eq!(vm["by_account"], whole["by_account"]);
        assert_eq!(vm["largest"], Value::from(3u64));
        assert_eq!(vm["nothing"], Value::Undefined);
        // Only what is read is published.
        assert_eq!(vm["_private"], Value::Undefined);
        assert_eq!(whole["_private"], Value::from(1u64));
    }

    #[test]
    fn a_keyed_contains_rule_stays_on_the_interpreter() {
        let file = view(
            "package regent.views.test_view\n\nby_name[name] contains id if {\n\tsome name, id in {\"a\": 1}\n}\n",
        );
        let mut engine = engine_with(&file, serde_json::json!({}));
        let rules: BTreeSet<String> = ["by_name".to_string()].into();
        assert!(!suits_the_vm(&file, &rules));
        let whole = interpret(&mut engine, "regent.views.test_view", &file).expect("evaluates");
        let ones: BTreeSet<Value> = [Value::from(1u64)].into();
        assert_eq!(whole["by_name"]["a"], Value::from(ones));
    }
}
