//! A course itself: creation, its page with the agenda, sessions, and status.

pub mod pages;
pub mod service;
