//! The judge's own pages: the entries assigned to them, by anonymous code only, scoring,
//! recusal, the blind file, and the copy-check view.

pub mod pages;
pub mod service;
