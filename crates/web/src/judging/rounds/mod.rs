//! Rounds: creation, settings, the rubric and tie-break, status, and the judges invited.

pub mod pages;
pub mod service;
