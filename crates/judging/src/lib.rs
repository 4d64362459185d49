//! Blind-judging logic for hoithi, with no I/O: assignment of judges to entries
//! (exact min-cost flow), score aggregation and ranking with a published
//! tie-break rule, advancement to the next round, and award suggestions.
//!
//! Every function here is pure and never panics on its input: bad input gives a
//! typed error whose `Display` is in Vietnamese, for end users.

pub mod advance;
pub mod aggregate;
pub mod assign;
pub mod awards;
pub mod flow;
pub mod rank;

pub use advance::{AdvanceRule, Advancement, BoundaryTie, advance};
pub use aggregate::{
    AggregationOptions, Criterion, EntryResult, Rubric, ScoreError, ScoreSheet, aggregate,
};
pub use assign::{
    AssignError, Assignment, AssignmentRequest, CostModel, EntrySpec, JudgeSpec, ModelStats, Pair,
    Shortfall, ShortfallReason, assign, disputed_entries, objective_of, request_extra_judges,
};
pub use awards::{
    Award, AwardSuggestion, CollectiveAwards, PrizeTier, TierTie, UnitRecord, collective_awards,
    local_tiers, national_tiers, suggest_awards, suggest_awards_by_genre,
};
pub use rank::{Decided, RankedEntry, Ranking, TieBreak, rank};
