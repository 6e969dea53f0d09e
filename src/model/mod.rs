//! Configuration items: loading every AWS Config shape, normalising, and the inventory.

pub mod ci;
pub mod envelope;
pub mod intern;
pub mod inventory;
pub mod json;
pub mod load;
pub mod normalise;
pub mod template;

pub use ci::{ConfigurationItem, ItemStatus, Origin, Subject};
