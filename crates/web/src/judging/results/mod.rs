//! Results of a round: aggregation and ranking, advancement to the next round, awards,
//! publication, and the XLSX export.

pub mod export;
pub mod pages;
pub mod service;
