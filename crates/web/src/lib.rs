//! The hoithi web application: server-rendered pages and the JSON API on the same services,
//! with one authorization point (`policy::can`) and one route table (`routes`).

pub mod access;
pub mod accounts;
pub mod api;
pub mod app;
pub mod assets;
pub mod audit;
pub mod auth;
pub mod certificates;
pub mod config;
pub mod contests;
pub mod courses;
pub mod demo;
pub mod error;
pub mod format;
pub mod forms;
pub mod health;
pub mod home;
pub mod i18n;
pub mod integrity;
pub mod jobs;
pub mod judging;
pub mod mail;
pub mod news;
pub mod pages;
pub mod policy;
pub mod routes;
pub mod search;
pub mod start;
pub mod state;
pub mod units;
pub mod upload;
pub mod users;
pub mod validate;

pub use app::Application;
pub use config::Config;
