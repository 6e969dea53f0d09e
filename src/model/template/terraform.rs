//! (being written)

use super::{Converted, TemplateOptions};

pub fn convert(_source: &str, _text: &str, _options: &TemplateOptions) -> Converted {
    Converted::default()
}
