//! Public submission: the form, the receipt and the private link (`pages`), and the
//! service that validates, stores and files an entry with its follow-up jobs (`service`).

pub mod pages;
pub mod service;
