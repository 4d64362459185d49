//! Every authorization decision is made here, by [`can`]. Handlers and services ask
//! `can(actor, action, resource)`; the route table in `routes.rs` says which coarse gate a
//! route has, and the matrix test walks every route with every role.

use std::fmt;

/// The roles a grant can carry. Being a participant needs no grant: any account is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    SiteAdmin,
    UnitAdmin,
    Organizer,
    Judge,
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::SiteAdmin,
        Role::UnitAdmin,
        Role::Organizer,
        Role::Judge,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::SiteAdmin => "site_admin",
            Role::UnitAdmin => "unit_admin",
            Role::Organizer => "organizer",
            Role::Judge => "judge",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self, t: &crate::i18n::Tr) -> &'static str {
        match self {
            Role::SiteAdmin => t.role_site_admin,
            Role::UnitAdmin => t.role_unit_admin,
            Role::Organizer => t.role_organizer,
            Role::Judge => t.role_judge,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a grant covers: the whole site, a unit subtree (by materialized path), or one
/// resource such as a contest, a course or a judging round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Site,
    Subtree(String),
    Resource { kind: String, id: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub id: i64,
    pub role: Role,
    pub scope: Scope,
}

/// Who is asking. `user_id` is `None` for a visitor who is not signed in.
#[derive(Debug, Clone, Default)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub unit_path: Option<String>,
    pub grants: Vec<Grant>,
}

impl Actor {
    pub fn anonymous() -> Actor {
        Actor::default()
    }
    pub fn is_signed_in(&self) -> bool {
        self.user_id.is_some()
    }
    pub fn is_site_admin(&self) -> bool {
        self.grants.iter().any(|g| g.role == Role::SiteAdmin)
    }
    /// Unit subtrees this actor administers.
    pub fn admin_subtrees(&self) -> Vec<&str> {
        self.grants
            .iter()
            .filter_map(|g| match (&g.role, &g.scope) {
                (Role::UnitAdmin, Scope::Subtree(p)) => Some(p.as_str()),
                _ => None,
            })
            .collect()
    }
    /// Holds `role` on one resource (a contest, a course, a round).
    pub fn holds(&self, role: Role, kind: &str, id: i64) -> bool {
        self.grants.iter().any(|g| {
            g.role == role
                && matches!(&g.scope, Scope::Resource { kind: k, id: i } if k == kind && *i == id)
        })
    }

    fn administers(&self, unit_path: &str) -> bool {
        self.is_site_admin()
            || self
                .admin_subtrees()
                .iter()
                .any(|root| unit_path.starts_with(root))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// See a unit and its place in the tree.
    ViewUnit,
    /// Create sub-units under, edit, or import into a unit.
    ManageUnit,
    /// Delete a unit (never the root of one's own scope).
    DeleteUnit,
    ViewUser,
    ManageUser,
    /// Give a role; the resource is the scope the role would cover.
    GrantRole(Role),
    /// The coarse gate of the administration pages: holds any administrative scope.
    Administer,
    /// Launch a contest organized by a unit (resource: the organizer unit).
    CreateContest,
    /// Edit a contest and see all its entries and dashboards.
    ManageContest,
    /// See and screen the entries collected in a unit subtree (resource: `Entries`).
    ScreenEntries,
    /// Run a judging round: rubric, judges, conflicts, assignment, results (resource: `Round`).
    ManageRound,
    /// Score the entries assigned to oneself in a round, blind (resource: `Round`).
    JudgeRound,
}

/// What an action is about.
#[derive(Debug, Clone, Copy)]
pub enum Resource<'a> {
    Site,
    Unit {
        path: &'a str,
    },
    /// A user, by the path of their unit (`None`: no unit).
    User {
        id: i64,
        unit_path: Option<&'a str>,
    },
    /// A contest, by id and the path of its organizer unit.
    Contest {
        id: i64,
        organizer_path: &'a str,
    },
    /// The entries of a contest collected in the subtree at `unit_path`.
    Entries {
        contest_id: i64,
        organizer_path: &'a str,
        unit_path: &'a str,
    },
    /// A judging round of a contest (`id` 0 for one about to be created), run by the unit at
    /// `unit_path`: a collecting unit for a preliminary round, the organizer for the final.
    Round {
        id: i64,
        contest_id: i64,
        organizer_path: &'a str,
        unit_path: &'a str,
        is_final: bool,
    },
}

/// The one authorization decision.
pub fn can(actor: &Actor, action: Action, resource: Resource<'_>) -> bool {
    if !actor.is_signed_in() {
        return false;
    }
    match (action, resource) {
        (Action::Administer, _) => actor.is_site_admin() || !actor.admin_subtrees().is_empty(),
        (Action::ViewUnit | Action::ManageUnit, Resource::Unit { path }) => actor.administers(path),
        (Action::DeleteUnit, Resource::Unit { path }) => {
            actor.is_site_admin()
                || actor
                    .admin_subtrees()
                    .iter()
                    .any(|root| path.starts_with(root) && path != *root)
        }
        (Action::ViewUser, Resource::User { id, unit_path }) => {
            actor.user_id == Some(id)
                || unit_path.is_some_and(|p| actor.administers(p))
                || actor.is_site_admin()
        }
        (Action::ManageUser, Resource::User { id, unit_path }) => {
            // Managing oneself through the admin pages could lock an admin out of their own
            // scope; self-service goes through the account page.
            actor.user_id != Some(id)
                && (actor.is_site_admin() || unit_path.is_some_and(|p| actor.administers(p)))
        }
        (Action::GrantRole(Role::SiteAdmin), Resource::Site) => actor.is_site_admin(),
        (Action::GrantRole(Role::UnitAdmin), Resource::Unit { path }) => actor.administers(path),
        // Organizer and judge roles are given on contests, courses and rounds by their organizers.
        (Action::GrantRole(_), _) => actor.is_site_admin(),
        (Action::CreateContest, Resource::Unit { path }) => actor.administers(path),
        (Action::ManageContest, Resource::Contest { id, organizer_path }) => {
            actor.administers(organizer_path) || actor.holds(Role::Organizer, "contest", id)
        }
        (
            Action::ScreenEntries,
            Resource::Entries {
                contest_id,
                organizer_path,
                unit_path,
            },
        ) => {
            actor.administers(organizer_path)
                || actor.holds(Role::Organizer, "contest", contest_id)
                || actor.administers(unit_path)
        }
        // The contest's organizers run every round; a collecting unit's administrators run
        // its own preliminary round.
        (
            Action::ManageRound,
            Resource::Round {
                contest_id,
                organizer_path,
                unit_path,
                is_final,
                ..
            },
        ) => {
            actor.administers(organizer_path)
                || actor.holds(Role::Organizer, "contest", contest_id)
                || (!is_final && actor.administers(unit_path))
        }
        // Judging is by invitation to one round only: no administrative role implies it.
        (Action::JudgeRound, Resource::Round { id, .. }) => {
            id > 0 && actor.holds(Role::Judge, "round", id)
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn admin_of(path: &str) -> Actor {
        Actor {
            user_id: Some(2),
            unit_path: Some(path.into()),
            grants: vec![Grant {
                id: 1,
                role: Role::UnitAdmin,
                scope: Scope::Subtree(path.into()),
            }],
        }
    }

    #[test]
    fn unit_admin_sees_only_own_subtree() {
        let a = admin_of("/1/5/");
        assert!(can(
            &a,
            Action::ManageUnit,
            Resource::Unit { path: "/1/5/" }
        ));
        assert!(can(
            &a,
            Action::ManageUnit,
            Resource::Unit { path: "/1/5/9/" }
        ));
        assert!(!can(&a, Action::ManageUnit, Resource::Unit { path: "/1/" }));
        assert!(!can(
            &a,
            Action::ManageUnit,
            Resource::Unit { path: "/1/50/" }
        ));
        assert!(!can(
            &a,
            Action::DeleteUnit,
            Resource::Unit { path: "/1/5/" }
        ));
        assert!(can(
            &a,
            Action::DeleteUnit,
            Resource::Unit { path: "/1/5/9/" }
        ));
        assert!(!can(&a, Action::GrantRole(Role::SiteAdmin), Resource::Site));
    }

    fn round(id: i64, unit_path: &'static str, is_final: bool) -> Resource<'static> {
        Resource::Round {
            id,
            contest_id: 1,
            organizer_path: "/1/5/",
            unit_path,
            is_final,
        }
    }

    #[test]
    fn rounds_are_run_by_organizers_and_their_units_and_judged_by_invitation() {
        let commune = admin_of("/1/5/9/");
        assert!(can(
            &commune,
            Action::ManageRound,
            round(3, "/1/5/9/", false)
        ));
        assert!(!can(&commune, Action::ManageRound, round(4, "/1/5/", true)));
        assert!(!can(
            &commune,
            Action::ManageRound,
            round(5, "/1/5/8/", false)
        ));
        assert!(!can(
            &commune,
            Action::JudgeRound,
            round(3, "/1/5/9/", false)
        ));
        let district = admin_of("/1/5/");
        assert!(can(&district, Action::ManageRound, round(4, "/1/5/", true)));
        assert!(!can(&district, Action::JudgeRound, round(4, "/1/5/", true)));
        let judge = Actor {
            user_id: Some(7),
            unit_path: Some("/1/5/2/".into()),
            grants: vec![Grant {
                id: 9,
                role: Role::Judge,
                scope: Scope::Resource {
                    kind: "round".into(),
                    id: 4,
                },
            }],
        };
        assert!(can(&judge, Action::JudgeRound, round(4, "/1/5/", true)));
        assert!(!can(&judge, Action::JudgeRound, round(3, "/1/5/9/", false)));
        assert!(!can(&judge, Action::ManageRound, round(4, "/1/5/", true)));
        let organizer = Actor {
            user_id: Some(8),
            unit_path: None,
            grants: vec![Grant {
                id: 10,
                role: Role::Organizer,
                scope: Scope::Resource {
                    kind: "contest".into(),
                    id: 1,
                },
            }],
        };
        assert!(can(
            &organizer,
            Action::ManageRound,
            round(4, "/1/5/", true)
        ));
        assert!(can(
            &organizer,
            Action::ManageRound,
            round(3, "/1/5/9/", false)
        ));
    }

    #[test]
    fn anonymous_can_do_nothing_here() {
        let a = Actor::anonymous();
        assert!(!can(&a, Action::Administer, Resource::Site));
        assert!(!can(&a, Action::ViewUnit, Resource::Unit { path: "/1/" }));
    }

    #[test]
    fn participant_sees_only_self() {
        let a = Actor {
            user_id: Some(9),
            unit_path: Some("/1/5/".into()),
            grants: vec![],
        };
        assert!(can(
            &a,
            Action::ViewUser,
            Resource::User {
                id: 9,
                unit_path: Some("/1/5/")
            }
        ));
        assert!(!can(
            &a,
            Action::ViewUser,
            Resource::User {
                id: 8,
                unit_path: Some("/1/5/")
            }
        ));
        assert!(!can(
            &a,
            Action::ManageUser,
            Resource::User {
                id: 9,
                unit_path: Some("/1/5/")
            }
        ));
        assert!(!can(&a, Action::Administer, Resource::Site));
    }
}
