//! Attendance reports, the completion rule and completion certificates.

pub mod pages;
pub mod service;
