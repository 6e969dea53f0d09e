//! Configuration items: loading every AWS Config shape, normalising, and the inventory.

pub mod ci;
pub mod input;
pub mod inventory;
pub mod json;
pub mod load;
pub mod normalise;

pub use ci::{ConfigurationItem, ItemStatus, Origin, Subject};
