//! The tables of courses (migration m0009).

pub mod answer;
pub mod checkin;
pub mod course;
pub mod course_unit;
pub mod delegate;
pub mod material;
pub mod plan;
pub mod question;
pub mod report;
pub mod session;
