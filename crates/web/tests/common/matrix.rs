//! The authorization matrix's rules, shared by the matrix test (tests/foundation.rs, where
//! every route has its row in `EXPECTED`) and the crawler (tests/crawl.rs), which must reach
//! by clicking every page the matrix allows each role.

/// The demo's roles, as the matrix names them.
pub const ROLES: [&str; 7] = [
    "anonymous",
    "participant",
    "commune_admin",
    "district_admin",
    "site_admin",
    "organizer",
    "judge",
];

/// Whether the matrix lets `role` through a route with `rule`, asked at `path` (filled with
/// the demo's records; the demo judge judges the final round only).
pub fn allowed(rule: &str, role: &str, path: &str, final_round: &str) -> bool {
    let runs_round = matches!(role, "district_admin" | "site_admin" | "organizer");
    let in_round = |base: &str| {
        path == format!("{base}{final_round}")
            || path.starts_with(&format!("{base}{final_round}/"))
            || path.starts_with(&format!("{base}{final_round}?"))
    };
    let judged_here = !(path.starts_with("/vong/") || path.starts_with("/api/v1/rounds/"))
        || in_round("/vong/")
        || in_round("/api/v1/rounds/");
    match rule {
        "public" => true,
        "signed_in" => role != "anonymous",
        // Managing a contest: its organizers, the administrators of its organizing unit (the
        // demo contest is the district's) and the site administrator.
        "manage" => matches!(role, "site_admin" | "district_admin" | "organizer"),
        "screen" | "rounds" => role.ends_with("admin") || role == "organizer",
        "round" => runs_round,
        "judge" => role == "judge" && judged_here,
        "round_or_judge" => runs_round || (role == "judge" && judged_here),
        "admin" => role.ends_with("admin"),
        // News: anyone who writes news somewhere (the demo's administrators), and the writers
        // of the demo story's unit (the district, so not the commune's administrator).
        "news_desk" => role.ends_with("admin"),
        "news" => matches!(role, "district_admin" | "site_admin"),
        other => panic!("the matrix has no rule named {other:?} ({path})"),
    }
}

/// The matrix's rows (method, route, rule), read from tests/foundation.rs so that a route
/// added there is expected here too.
pub fn rows() -> Vec<(String, String, String)> {
    let src = include_str!("../foundation.rs");
    let start = src
        .find("const EXPECTED")
        .expect("tests/foundation.rs has the matrix");
    let body = &src[start..];
    let body = &body[..body.find("\n];").expect("the matrix ends")];
    body.split('(')
        .skip(1)
        .filter_map(|tuple| {
            let tuple = tuple.split(')').next()?;
            let quoted: Vec<&str> = tuple.split('"').skip(1).step_by(2).collect();
            match quoted[..] {
                [m, p, r] => Some((m.to_string(), p.to_string(), r.to_string())),
                _ => None,
            }
        })
        .collect()
}
