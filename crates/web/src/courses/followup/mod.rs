//! Follow-up: units' plans and cascade reports, rolled up through the unit tree.

pub mod pages;
pub mod service;
