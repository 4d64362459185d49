//! The feedback survey: questions, one set of answers per delegate, results.

pub mod pages;
pub mod service;
