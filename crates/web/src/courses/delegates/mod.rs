//! Delegates by unit quota: invitations, nominations, decisions, lists by unit.

pub mod pages;
pub mod service;
