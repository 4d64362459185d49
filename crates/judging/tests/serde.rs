//! JSON round trip of the request and result types (feature `serde`).
#![cfg(feature = "serde")]

use hoithi_judging::{AssignmentRequest, CostModel, EntrySpec, JudgeSpec, Pair, assign};

#[test]
fn request_and_assignment_survive_json() {
    let req = AssignmentRequest {
        entries: vec![EntrySpec {
            genre: 0,
            unit: Some(1),
            judges_wanted: None,
        }],
        judges: vec![
            JudgeSpec {
                capacity: 3,
                expertise: vec![0],
                unit: Some(2),
            };
            2
        ],
        judges_per_entry: 2,
        conflicts: vec![],
        forced: vec![Pair { entry: 0, judge: 1 }],
        existing: vec![],
        same_unit_is_conflict: true,
        costs: CostModel::default(),
    };
    let text = serde_json::to_string(&req).unwrap();
    let back: AssignmentRequest = serde_json::from_str(&text).unwrap();
    assert_eq!(back, req);
    let a = assign(&back).unwrap();
    let again: hoithi_judging::Assignment =
        serde_json::from_str(&serde_json::to_string(&a).unwrap()).unwrap();
    assert_eq!(again, a);
}
