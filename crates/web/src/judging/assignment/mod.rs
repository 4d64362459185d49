//! Who judges what: conflicts of interest and the assignment of judges (automatic, previewed,
//! published or undone as one batch; hand edits).

pub mod pages;
pub mod service;
