//! Writing, editing, revisions, approval, categories and DOCX import.

pub mod pages;
pub mod service;
