//! Check-in: the personal link and its QR code, staff confirmation, the desk, the room code.

pub mod pages;
pub mod paper;
pub mod service;
