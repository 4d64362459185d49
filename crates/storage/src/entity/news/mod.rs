//! The news module's tables (m0012).

pub mod category;
pub mod link;
pub mod photo;
pub mod post;
pub mod post_category;
pub mod post_tag;
pub mod revision;
pub mod tag;
