//! Where each person starts after signing in: their own work first (the rounds they judge,
//! the contests they run, their unit's work, their entries), as a block of the home page, and
//! roles named by what they cover. It has no routes of its own: every link leads to the
//! pages of the modules that own the work, and the policy decides what is shown.

pub mod pages;
pub mod service;
