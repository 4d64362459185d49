//! What readers see: the home page block, lists per category and per unit, the post page,
//! search, Atom feeds and the sitemap. Pages for anonymous readers are cached in memory and
//! answer `304 Not Modified` to a matching `If-None-Match` or `If-Modified-Since`.

pub mod cache;
pub mod pages;
pub mod service;
