//! Templates and plans into items: each covered resource through the normaliser at its
//! line, each uncovered one counted as read and skipped.

use super::context::Context;
use super::loaded::Loaded;
use crate::diagnostics::{Code, Problem, Skip};
use crate::model::json;
use crate::model::normalise::Dialect;
use crate::model::template::{self, Kind, TemplateOptions};
use std::sync::Arc;

/// Convert one template or plan and load its resources as items.
pub fn load_template(kind: Kind, source: &str, text: &str, options: &TemplateOptions) -> Loaded {
    let converted = template::convert(kind, source, text, options);
    let source: Arc<str> = Arc::from(source);
    let mut loaded = Loaded {
        problems: converted.problems,
        document_failed: converted.failed,
        skipped_document: converted.not_a_template.map(|reason| Skip {
            source: source.to_string(),
            reason,
        }),
        ..Loaded::default()
    };
    for resource in &converted.resources {
        let mut ctx = Context::new(&source);
        ctx.line = Some(resource.line.max(1));
        let text = resource.item(options).to_string();
        let before = loaded.items.len();
        match json::parse(&text) {
            Ok(value) => ctx.item(&value, None, Dialect::Detect, &mut loaded),
            // Made from serde_json above: it parses, but account for it if not.
            Err(err) => ctx.fail_item(
                Problem::new(
                    Code::TemplateInvalid,
                    ctx.place(None),
                    format!("resource {}: {}", resource.id, err.message()),
                ),
                &mut loaded,
            ),
        }
        if let Some(item) = loaded.items.get_mut(before) {
            item.unknowns = resource.unknowns.clone().into_boxed_slice();
            item.from_template = true;
        }
    }
    for uncovered in &converted.uncovered {
        let mut ctx = Context::new(&source);
        ctx.line = Some(uncovered.line.max(1));
        ctx.skip_item(
            None,
            match &uncovered.reason {
                // Grouped in the summary by the words before the resource.
                Some(reason) => format!(
                    "companion without its resource: {} ({}): {reason}",
                    uncovered.resource_type, uncovered.id
                ),
                None => format!(
                    "resource type not mapped from templates: {} ({})",
                    uncovered.resource_type, uncovered.id
                ),
            },
            &mut loaded,
        );
    }
    loaded
}
