//! Photos of a post: upload with caption and alt text, the cover, the job that makes the
//! resized copies (through `hoithi-media`), and serving those copies — never the upload itself,
//! so no EXIF or GPS data of the upload reaches a reader.

pub mod pages;
pub mod service;
