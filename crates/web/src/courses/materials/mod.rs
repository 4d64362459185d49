//! Course materials (tài liệu): files (DOCX, ODT, PDF, PPTX, XLSX) and links an organizer hands
//! out, for the course's delegates or for everyone, listed on the course page and on each
//! delegate's personal page, their text in the site search.

pub mod pages;
pub mod read;
pub mod service;
