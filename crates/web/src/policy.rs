//! Every authorization decision is made here, by [`can`] (may this actor do this to this
//! resource?) and [`reach`] (where, in the unit tree, may it do so, for lists). Nothing else
//! in the code looks at roles: services and extractors ask these two functions, and the route
//! table's coarse gates (`routes.rs`) call `can` too. The matrix test walks every route with
//! every role; the unit tests below list every action.
//!
//! Who asks is an [`Actor`]: a visitor, a signed-in user with their grants, the operator at
//! the command line, or anyone holding a verified secret for one resource (a
//! [`Capability`]: an entry's private link today; a delegate's personal link, a survey link
//! or a check-in code next).

use std::fmt;

pub use hoithi_storage::types::UnitPath;

/// The roles a grant can carry. Being a participant needs no grant: any account is one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    SiteAdmin,
    UnitAdmin,
    Organizer,
    Judge,
    /// Writes and edits the news of a unit subtree (biên tập viên).
    Editor,
    /// Publishes the news of a unit subtree (duyệt); also writes.
    Approver,
}

impl Role {
    pub const ALL: [Role; 6] = [
        Role::SiteAdmin,
        Role::UnitAdmin,
        Role::Organizer,
        Role::Judge,
        Role::Editor,
        Role::Approver,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::SiteAdmin => "site_admin",
            Role::UnitAdmin => "unit_admin",
            Role::Organizer => "organizer",
            Role::Judge => "judge",
            Role::Editor => "news_editor",
            Role::Approver => "news_approver",
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
            Role::Editor => t.news.role_editor,
            Role::Approver => t.news.role_approver,
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The kinds of record a role can be given on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ResourceKind {
    Contest,
    Round,
    /// A course: its organizers and check-in staff hold the organizer role on it.
    Course,
}

impl ResourceKind {
    pub const ALL: [ResourceKind; 3] = [
        ResourceKind::Contest,
        ResourceKind::Round,
        ResourceKind::Course,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ResourceKind::Contest => "contest",
            ResourceKind::Round => "round",
            ResourceKind::Course => "course",
        }
    }

    pub fn parse(s: &str) -> Option<ResourceKind> {
        ResourceKind::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

/// What a grant covers: the whole site, a unit subtree, or one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Site,
    Subtree(UnitPath),
    Resource { kind: ResourceKind, id: i64 },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub id: i64,
    pub role: Role,
    pub scope: Scope,
}

/// What secret was shown: each kind opens one record and nothing else.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CapabilityKind {
    /// The private link of an entry (receipt code and key), given to its submitter.
    EntryLink,
    /// A course delegate's personal link (the badge token of their QR code).
    DelegateLink,
}

/// A secret for one record, already checked against its stored hash by whoever added it to
/// the actor (see [`Actor::with_capability`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Capability {
    pub kind: CapabilityKind,
    pub id: i64,
}

/// Who is behind a request or a command.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Principal {
    #[default]
    Anonymous,
    User(i64),
    /// Whoever runs `hoithi admin` on the server: they own it, so they act as a site
    /// administrator, named in the audit log.
    Operator(&'static str),
}

#[derive(Debug, Clone, Default)]
pub struct Actor {
    principal: Principal,
    unit_path: Option<UnitPath>,
    grants: Vec<Grant>,
    capabilities: Vec<Capability>,
}

impl Actor {
    pub fn anonymous() -> Actor {
        Actor::default()
    }

    pub fn user(id: i64, unit_path: Option<UnitPath>, grants: Vec<Grant>) -> Actor {
        Actor {
            principal: Principal::User(id),
            unit_path,
            grants,
            capabilities: Vec::new(),
        }
    }

    /// The command line's actor: site-administrator rights, no account.
    pub fn operator(name: &'static str) -> Actor {
        Actor {
            principal: Principal::Operator(name),
            unit_path: None,
            grants: vec![Grant {
                id: 0,
                role: Role::SiteAdmin,
                scope: Scope::Site,
            }],
            capabilities: Vec::new(),
        }
    }

    /// The same actor holding one more verified secret.
    pub fn with_capability(mut self, cap: Capability) -> Actor {
        self.capabilities.push(cap);
        self
    }

    /// The same actor with one more grant, for work done on a user's behalf within a single
    /// action (the demo loader acting as the organizer of the contest it has just created).
    pub fn with_grant(mut self, grant: Grant) -> Actor {
        self.grants.push(grant);
        self
    }

    pub fn principal(&self) -> &Principal {
        &self.principal
    }

    pub fn user_id(&self) -> Option<i64> {
        match self.principal {
            Principal::User(id) => Some(id),
            _ => None,
        }
    }

    /// A signed-in user or the operator.
    pub fn is_signed_in(&self) -> bool {
        !matches!(self.principal, Principal::Anonymous)
    }

    pub fn unit_path(&self) -> Option<&UnitPath> {
        self.unit_path.as_ref()
    }

    /// The actor's own grants, for showing them (decisions go through `can`).
    pub fn grants(&self) -> &[Grant] {
        &self.grants
    }

    /// How the audit log names this actor when there is no account behind it.
    pub fn audit_label(&self) -> Option<String> {
        match &self.principal {
            Principal::User(_) => None,
            Principal::Operator(name) => Some(format!("operator:{name}")),
            Principal::Anonymous => Some(
                self.capabilities
                    .iter()
                    .map(|c| format!("{:?}:{}", c.kind, c.id))
                    .next()
                    .unwrap_or_else(|| "anonymous".into()),
            ),
        }
    }

    fn is_site_admin(&self) -> bool {
        self.grants.iter().any(|g| g.role == Role::SiteAdmin)
    }

    fn admin_subtrees(&self) -> impl Iterator<Item = &UnitPath> {
        self.grants
            .iter()
            .filter_map(|g| match (&g.role, &g.scope) {
                (Role::UnitAdmin, Scope::Subtree(p)) => Some(p),
                _ => None,
            })
    }

    fn holds(&self, role: Role, kind: ResourceKind, id: i64) -> bool {
        self.grants.iter().any(|g| {
            g.role == role
                && matches!(&g.scope, Scope::Resource { kind: k, id: i } if *k == kind && *i == id)
        })
    }

    fn has(&self, kind: CapabilityKind, id: i64) -> bool {
        self.capabilities
            .iter()
            .any(|c| c.kind == kind && c.id == id)
    }

    fn administers(&self, unit: &UnitPath) -> bool {
        self.is_site_admin() || self.admin_subtrees().any(|root| root.contains(unit))
    }

    /// The unit subtrees where the actor holds one of `roles`.
    fn role_subtrees<'a>(&'a self, roles: &'a [Role]) -> impl Iterator<Item = &'a UnitPath> {
        self.grants
            .iter()
            .filter_map(move |g| match (&g.role, &g.scope) {
                (r, Scope::Subtree(p)) if roles.contains(r) => Some(p),
                _ => None,
            })
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// The coarse gate of the administration pages: holds any administrative scope.
    Administer,
    /// See a unit and its place in the tree.
    ViewUnit,
    /// Edit a unit, or import into it.
    ManageUnit,
    /// Create a unit under the given one (`Resource::Site`: a new root).
    CreateUnit,
    /// Delete a unit (never the root of one's own scope).
    DeleteUnit,
    ViewUser,
    /// Edit, deactivate or reset the password of a user (never oneself: that is the account
    /// page).
    ManageUser,
    /// Create an account in a unit (`Resource::Site`: an account with no unit).
    CreateUser,
    /// Give or take back a role; the resource is the scope the role covers.
    GrantRole(Role),
    /// Launch a contest organized by a unit (resource: the organizer unit).
    CreateContest,
    /// Edit a contest and see all its entries and dashboards.
    ManageContest,
    /// See and screen the entries collected in a unit subtree (resource: `Entries`).
    ScreenEntries,
    /// Follow, edit or withdraw one's own entry (its private link, or the submitter's account).
    FollowEntry,
    /// Run a judging round: rubric, judges, conflicts, assignment, results (resource: `Round`).
    ManageRound,
    /// Score the entries assigned to oneself in a round, blind (resource: `Round`).
    JudgeRound,
    /// Hold a course organized by a unit (resource: the organizer unit).
    CreateCourse,
    /// Edit a course, its sessions, invitations and survey; decide on delegates; see every
    /// list and report (resource: `Course`).
    ManageCourse,
    /// Check delegates in and correct attendance (resource: `Course`): its organizers.
    CheckInDelegates,
    /// Nominate delegates of an invited unit and record its follow-up (resource:
    /// `CourseUnit`): the unit's administrators, and the course's organizers.
    NominateDelegates,
    /// Open one's own place in a course: the personal link, self check-in, the survey, the
    /// certificate (resource: `Delegate`).
    AttendCourse,
    /// Write, edit and send for approval the news of a unit (resource: the post's `Unit`):
    /// its editors and approvers, and its administrators.
    WriteNews,
    /// Publish, schedule or take down a post of a unit (resource: its `Unit`): its approvers
    /// and site administrators only — a unit administrator without the role is refused.
    PublishNews,
    /// Add a unit's news categories (resource: its `Unit`): its administrators and approvers.
    ManageNewsCategories,
}

impl Action {
    /// Every action, for tests that walk them all.
    pub const ALL: [Action; 28] = [
        Action::Administer,
        Action::ViewUnit,
        Action::ManageUnit,
        Action::CreateUnit,
        Action::DeleteUnit,
        Action::ViewUser,
        Action::ManageUser,
        Action::CreateUser,
        Action::GrantRole(Role::SiteAdmin),
        Action::GrantRole(Role::UnitAdmin),
        Action::GrantRole(Role::Organizer),
        Action::GrantRole(Role::Judge),
        Action::CreateContest,
        Action::ManageContest,
        Action::ScreenEntries,
        Action::FollowEntry,
        Action::ManageRound,
        Action::JudgeRound,
        Action::CreateCourse,
        Action::ManageCourse,
        Action::CheckInDelegates,
        Action::NominateDelegates,
        Action::AttendCourse,
        Action::GrantRole(Role::Editor),
        Action::GrantRole(Role::Approver),
        Action::WriteNews,
        Action::PublishNews,
        Action::ManageNewsCategories,
    ];
}

/// What an action is about.
#[derive(Debug, Clone, Copy)]
pub enum Resource<'a> {
    Site,
    Unit {
        path: &'a UnitPath,
    },
    /// A user, by the path of their unit (`None`: no unit).
    User {
        id: i64,
        unit_path: Option<&'a UnitPath>,
    },
    /// A contest, by id and the path of its organizer unit.
    Contest {
        id: i64,
        organizer_path: &'a UnitPath,
    },
    /// The entries of a contest collected in the subtree at `unit_path` (`None`: all of them).
    Entries {
        contest_id: i64,
        organizer_path: &'a UnitPath,
        unit_path: Option<&'a UnitPath>,
    },
    /// One entry, as its submitter sees it.
    Entry {
        id: i64,
        submitter: Option<i64>,
    },
    /// A judging round of a contest (`id` 0 for one about to be created), run by the unit at
    /// `unit_path`: a collecting unit for a preliminary round, the organizer for the final.
    Round {
        id: i64,
        contest_id: i64,
        organizer_path: &'a UnitPath,
        unit_path: &'a UnitPath,
        is_final: bool,
    },
    /// A course, by id and the path of its organizer unit.
    Course {
        id: i64,
        organizer_path: &'a UnitPath,
    },
    /// An invited unit of a course.
    CourseUnit {
        course_id: i64,
        organizer_path: &'a UnitPath,
        unit_path: &'a UnitPath,
    },
    /// One delegate's place in a course, as the delegate sees it.
    Delegate {
        id: i64,
        user_id: Option<i64>,
    },
}

/// The one authorization decision.
pub fn can(actor: &Actor, action: Action, resource: Resource<'_>) -> bool {
    use Action as A;
    use Resource as R;
    // Secrets open only what they were made for; everything else needs an account (or the
    // operator).
    if let (A::FollowEntry, R::Entry { id, submitter }) = (action, resource) {
        return actor.has(CapabilityKind::EntryLink, id)
            || (submitter.is_some() && submitter == actor.user_id());
    }
    if let (A::AttendCourse, R::Delegate { id, user_id }) = (action, resource) {
        return actor.has(CapabilityKind::DelegateLink, id)
            || (user_id.is_some() && user_id == actor.user_id());
    }
    if !actor.is_signed_in() {
        return false;
    }
    match (action, resource) {
        (A::Administer, _) => actor.is_site_admin() || actor.admin_subtrees().next().is_some(),
        (A::ViewUnit | A::ManageUnit, R::Unit { path }) => actor.administers(path),
        (A::CreateUnit, R::Unit { path }) => actor.administers(path),
        (A::CreateUnit, R::Site) => actor.is_site_admin(),
        (A::DeleteUnit, R::Unit { path }) => {
            actor.is_site_admin()
                || actor
                    .admin_subtrees()
                    .any(|root| root.contains(path) && root != path)
        }
        (A::ViewUser, R::User { id, unit_path }) => {
            actor.user_id() == Some(id)
                || actor.is_site_admin()
                || unit_path.is_some_and(|p| actor.administers(p))
        }
        (A::ManageUser, R::User { id, unit_path }) => {
            // Managing oneself through the admin pages could lock an admin out of their own
            // scope; self-service goes through the account page.
            actor.user_id() != Some(id)
                && (actor.is_site_admin() || unit_path.is_some_and(|p| actor.administers(p)))
        }
        (A::CreateUser, R::Unit { path }) => actor.administers(path),
        (A::CreateUser, R::Site) => actor.is_site_admin(),
        (A::GrantRole(Role::SiteAdmin), R::Site) => actor.is_site_admin(),
        (A::GrantRole(Role::UnitAdmin), R::Unit { path }) => actor.administers(path),
        // News roles are a unit's own: its administrators give them.
        (A::GrantRole(Role::Editor | Role::Approver), R::Unit { path }) => actor.administers(path),
        // Organizer and judge roles are given on contests and rounds by their own pages;
        // through the user pages only a site administrator gives them.
        (A::GrantRole(Role::Organizer | Role::Judge), _) => actor.is_site_admin(),
        (A::CreateContest, R::Unit { path }) => actor.administers(path),
        (A::ManageContest, R::Contest { id, organizer_path }) => {
            actor.administers(organizer_path)
                || actor.holds(Role::Organizer, ResourceKind::Contest, id)
        }
        (
            A::ScreenEntries,
            R::Entries {
                contest_id,
                organizer_path,
                unit_path,
            },
        ) => {
            actor.administers(organizer_path)
                || actor.holds(Role::Organizer, ResourceKind::Contest, contest_id)
                || unit_path.is_some_and(|p| actor.administers(p))
        }
        // The contest's organizers run every round; a collecting unit's administrators run
        // its own preliminary round.
        (
            A::ManageRound,
            R::Round {
                contest_id,
                organizer_path,
                unit_path,
                is_final,
                ..
            },
        ) => {
            actor.administers(organizer_path)
                || actor.holds(Role::Organizer, ResourceKind::Contest, contest_id)
                || (!is_final && actor.administers(unit_path))
        }
        // Judging is by invitation to one round only: no administrative role implies it.
        (A::JudgeRound, R::Round { id, .. }) => {
            id > 0 && actor.holds(Role::Judge, ResourceKind::Round, id)
        }
        (A::CreateCourse, R::Unit { path }) => actor.administers(path),
        (A::ManageCourse | A::CheckInDelegates, R::Course { id, organizer_path }) => {
            actor.administers(organizer_path)
                || actor.holds(Role::Organizer, ResourceKind::Course, id)
        }
        (
            A::NominateDelegates,
            R::CourseUnit {
                course_id,
                organizer_path,
                unit_path,
            },
        ) => {
            actor.administers(unit_path)
                || actor.administers(organizer_path)
                || actor.holds(Role::Organizer, ResourceKind::Course, course_id)
        }
        (A::WriteNews, R::Unit { path }) => {
            actor.administers(path)
                || actor
                    .role_subtrees(&[Role::Editor, Role::Approver])
                    .any(|root| root.contains(path))
        }
        (A::PublishNews, R::Unit { path }) => {
            actor.is_site_admin()
                || actor
                    .role_subtrees(&[Role::Approver])
                    .any(|root| root.contains(path))
        }
        (A::ManageNewsCategories, R::Unit { path }) => {
            actor.administers(path)
                || actor
                    .role_subtrees(&[Role::Approver])
                    .any(|root| root.contains(path))
        }
        _ => false,
    }
}

/// Where in the unit tree an actor may do something, for pages that list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reach {
    Everywhere,
    /// Within these subtrees (none of them inside another).
    Within(Vec<UnitPath>),
    Nowhere,
}

impl Reach {
    pub fn contains(&self, path: &UnitPath) -> bool {
        match self {
            Reach::Everywhere => true,
            Reach::Within(roots) => roots.iter().any(|r| r.contains(path)),
            Reach::Nowhere => false,
        }
    }
}

/// The subtrees in which `action` is allowed on units, users or entries, for listing them.
/// The same rules as [`can`]: a unit administrator reaches every subtree they administer.
pub fn reach(actor: &Actor, action: Action) -> Reach {
    if !actor.is_signed_in() {
        return Reach::Nowhere;
    }
    match action {
        Action::ViewUnit
        | Action::ManageUnit
        | Action::CreateUnit
        | Action::ViewUser
        | Action::ManageUser
        | Action::CreateUser
        | Action::ScreenEntries
        | Action::CreateContest
        | Action::CreateCourse
        | Action::NominateDelegates => {
            if actor.is_site_admin() {
                return Reach::Everywhere;
            }
            outermost(actor.admin_subtrees().cloned().collect())
        }
        Action::WriteNews | Action::PublishNews | Action::ManageNewsCategories => {
            if actor.is_site_admin() {
                return Reach::Everywhere;
            }
            let roles: &[Role] = match action {
                Action::WriteNews => &[Role::Editor, Role::Approver],
                _ => &[Role::Approver],
            };
            let admins = actor
                .admin_subtrees()
                .filter(|_| action != Action::PublishNews);
            outermost(admins.chain(actor.role_subtrees(roles)).cloned().collect())
        }
        _ => Reach::Nowhere,
    }
}

/// Whether `action` is allowed to the actor on at least one record, for offering its pages in
/// the navigation before any record is loaded (each page still asks [`can`] for its records).
pub fn may_somewhere(actor: &Actor, action: Action) -> bool {
    if !actor.is_signed_in() {
        return false;
    }
    match action {
        Action::JudgeRound => actor.grants.iter().any(|g| {
            g.role == Role::Judge
                && matches!(
                    g.scope,
                    Scope::Resource {
                        kind: ResourceKind::Round,
                        ..
                    }
                )
        }),
        Action::ManageContest | Action::ManageRound => {
            actor.is_site_admin()
                || actor.admin_subtrees().next().is_some()
                || actor.grants.iter().any(|g| g.role == Role::Organizer)
        }
        Action::FollowEntry => true,
        other => reach(actor, other) != Reach::Nowhere,
    }
}

/// The roots among `roots` that no other one contains.
fn outermost(mut roots: Vec<UnitPath>) -> Reach {
    roots.sort();
    roots.dedup();
    let all = roots.clone();
    roots.retain(|r| !all.iter().any(|o| o != r && o.contains(r)));
    if roots.is_empty() {
        Reach::Nowhere
    } else {
        Reach::Within(roots)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(s: &str) -> UnitPath {
        UnitPath::parse(s).unwrap()
    }

    fn admin_of(path: &str) -> Actor {
        Actor::user(
            2,
            Some(p(path)),
            vec![Grant {
                id: 1,
                role: Role::UnitAdmin,
                scope: Scope::Subtree(p(path)),
            }],
        )
    }

    fn site_admin() -> Actor {
        Actor::user(
            1,
            None,
            vec![Grant {
                id: 1,
                role: Role::SiteAdmin,
                scope: Scope::Site,
            }],
        )
    }

    fn holding(role: Role, kind: ResourceKind, id: i64) -> Actor {
        Actor::user(
            7,
            Some(p("/1/5/2/")),
            vec![Grant {
                id: 9,
                role,
                scope: Scope::Resource { kind, id },
            }],
        )
    }

    #[test]
    fn unit_admin_sees_only_own_subtree() {
        let a = admin_of("/1/5/");
        let unit = |s: &str| p(s);
        assert!(can(
            &a,
            Action::ManageUnit,
            Resource::Unit {
                path: &unit("/1/5/")
            }
        ));
        assert!(can(
            &a,
            Action::ManageUnit,
            Resource::Unit {
                path: &unit("/1/5/9/")
            }
        ));
        assert!(!can(
            &a,
            Action::ManageUnit,
            Resource::Unit { path: &unit("/1/") }
        ));
        assert!(!can(
            &a,
            Action::ManageUnit,
            Resource::Unit {
                path: &unit("/1/50/")
            }
        ));
        assert!(!can(
            &a,
            Action::DeleteUnit,
            Resource::Unit {
                path: &unit("/1/5/")
            }
        ));
        assert!(can(
            &a,
            Action::DeleteUnit,
            Resource::Unit {
                path: &unit("/1/5/9/")
            }
        ));
        assert!(can(
            &a,
            Action::CreateUnit,
            Resource::Unit {
                path: &unit("/1/5/")
            }
        ));
        assert!(!can(&a, Action::CreateUnit, Resource::Site));
        assert!(can(
            &a,
            Action::CreateUser,
            Resource::Unit {
                path: &unit("/1/5/9/")
            }
        ));
        assert!(!can(&a, Action::CreateUser, Resource::Site));
        assert!(!can(&a, Action::GrantRole(Role::SiteAdmin), Resource::Site));
        assert!(can(
            &a,
            Action::GrantRole(Role::UnitAdmin),
            Resource::Unit {
                path: &unit("/1/5/9/")
            }
        ));
        assert!(!can(
            &a,
            Action::GrantRole(Role::Organizer),
            Resource::Unit {
                path: &unit("/1/5/9/")
            }
        ));
    }

    #[test]
    fn every_subtree_counts_for_lists_and_decisions_alike() {
        let a = Actor::user(
            2,
            None,
            vec![
                Grant {
                    id: 1,
                    role: Role::UnitAdmin,
                    scope: Scope::Subtree(p("/1/5/")),
                },
                Grant {
                    id: 2,
                    role: Role::UnitAdmin,
                    scope: Scope::Subtree(p("/1/7/")),
                },
                Grant {
                    id: 3,
                    role: Role::UnitAdmin,
                    scope: Scope::Subtree(p("/1/7/8/")),
                },
            ],
        );
        assert_eq!(
            reach(&a, Action::ViewUser),
            Reach::Within(vec![p("/1/5/"), p("/1/7/")])
        );
        for path in ["/1/5/3/", "/1/7/", "/1/7/8/9/"] {
            assert!(reach(&a, Action::ViewUser).contains(&p(path)));
            assert!(can(
                &a,
                Action::ViewUser,
                Resource::User {
                    id: 40,
                    unit_path: Some(&p(path))
                }
            ));
        }
        assert!(!reach(&a, Action::ViewUser).contains(&p("/1/6/")));
        assert_eq!(reach(&site_admin(), Action::ViewUnit), Reach::Everywhere);
        assert_eq!(reach(&Actor::anonymous(), Action::ViewUnit), Reach::Nowhere);
        let participant = Actor::user(9, Some(p("/1/5/")), vec![]);
        assert_eq!(reach(&participant, Action::ViewUser), Reach::Nowhere);
        assert_eq!(reach(&a, Action::JudgeRound), Reach::Nowhere);
    }

    fn round(id: i64, unit_path: &'static str, is_final: bool) -> (i64, UnitPath, bool) {
        (id, p(unit_path), is_final)
    }

    fn can_round(actor: &Actor, action: Action, r: &(i64, UnitPath, bool)) -> bool {
        let org = p("/1/5/");
        can(
            actor,
            action,
            Resource::Round {
                id: r.0,
                contest_id: 1,
                organizer_path: &org,
                unit_path: &r.1,
                is_final: r.2,
            },
        )
    }

    #[test]
    fn rounds_are_run_by_organizers_and_their_units_and_judged_by_invitation() {
        let commune = admin_of("/1/5/9/");
        assert!(can_round(
            &commune,
            Action::ManageRound,
            &round(3, "/1/5/9/", false)
        ));
        assert!(!can_round(
            &commune,
            Action::ManageRound,
            &round(4, "/1/5/", true)
        ));
        assert!(!can_round(
            &commune,
            Action::ManageRound,
            &round(5, "/1/5/8/", false)
        ));
        assert!(!can_round(
            &commune,
            Action::JudgeRound,
            &round(3, "/1/5/9/", false)
        ));
        let district = admin_of("/1/5/");
        assert!(can_round(
            &district,
            Action::ManageRound,
            &round(4, "/1/5/", true)
        ));
        assert!(!can_round(
            &district,
            Action::JudgeRound,
            &round(4, "/1/5/", true)
        ));
        let judge = holding(Role::Judge, ResourceKind::Round, 4);
        assert!(can_round(
            &judge,
            Action::JudgeRound,
            &round(4, "/1/5/", true)
        ));
        assert!(!can_round(
            &judge,
            Action::JudgeRound,
            &round(3, "/1/5/9/", false)
        ));
        assert!(!can_round(
            &judge,
            Action::ManageRound,
            &round(4, "/1/5/", true)
        ));
        assert!(!can_round(
            &judge,
            Action::JudgeRound,
            &round(0, "/1/5/", true)
        ));
        let organizer = holding(Role::Organizer, ResourceKind::Contest, 1);
        assert!(can_round(
            &organizer,
            Action::ManageRound,
            &round(4, "/1/5/", true)
        ));
        assert!(can_round(
            &organizer,
            Action::ManageRound,
            &round(3, "/1/5/9/", false)
        ));
        let other_contest = holding(Role::Organizer, ResourceKind::Contest, 2);
        assert!(!can_round(
            &other_contest,
            Action::ManageRound,
            &round(4, "/1/5/", true)
        ));
    }

    #[test]
    fn contests_are_managed_by_their_organizers_and_screened_down_the_tree() {
        let org = p("/1/5/");
        let contest = Resource::Contest {
            id: 1,
            organizer_path: &org,
        };
        assert!(can(&admin_of("/1/"), Action::ManageContest, contest));
        assert!(can(&admin_of("/1/5/"), Action::ManageContest, contest));
        assert!(!can(&admin_of("/1/5/9/"), Action::ManageContest, contest));
        let organizer = holding(Role::Organizer, ResourceKind::Contest, 1);
        assert!(can(&organizer, Action::ManageContest, contest));
        assert!(!can(
            &holding(Role::Organizer, ResourceKind::Round, 1),
            Action::ManageContest,
            contest
        ));
        let commune = p("/1/5/9/");
        let entries = |unit_path| Resource::Entries {
            contest_id: 1,
            organizer_path: &org,
            unit_path,
        };
        assert!(can(
            &admin_of("/1/5/9/"),
            Action::ScreenEntries,
            entries(Some(&commune))
        ));
        assert!(!can(
            &admin_of("/1/5/9/"),
            Action::ScreenEntries,
            entries(None)
        ));
        assert!(can(&organizer, Action::ScreenEntries, entries(None)));
        assert!(!can(
            &admin_of("/1/5/8/"),
            Action::ScreenEntries,
            entries(Some(&commune))
        ));
        assert!(can(
            &admin_of("/1/5/"),
            Action::CreateContest,
            Resource::Unit { path: &org }
        ));
        assert!(!can(
            &admin_of("/1/5/9/"),
            Action::CreateContest,
            Resource::Unit { path: &org }
        ));
    }

    #[test]
    fn an_entry_is_followed_by_its_link_or_its_submitter_only() {
        let entry = Resource::Entry {
            id: 11,
            submitter: Some(9),
        };
        let visitor = Actor::anonymous();
        assert!(!can(&visitor, Action::FollowEntry, entry));
        let with_link = Actor::anonymous().with_capability(Capability {
            kind: CapabilityKind::EntryLink,
            id: 11,
        });
        assert!(can(&with_link, Action::FollowEntry, entry));
        assert!(!can(
            &with_link,
            Action::FollowEntry,
            Resource::Entry {
                id: 12,
                submitter: None
            }
        ));
        // A link opens its entry and nothing else.
        for action in Action::ALL {
            if action != Action::FollowEntry {
                assert!(!can(&with_link, action, Resource::Site), "{action:?}");
            }
        }
        assert!(can(
            &Actor::user(9, None, vec![]),
            Action::FollowEntry,
            entry
        ));
        assert!(!can(
            &Actor::user(8, None, vec![]),
            Action::FollowEntry,
            entry
        ));
        assert!(!can(&site_admin(), Action::FollowEntry, entry));
        assert!(!can(
            &Actor::user(8, None, vec![]),
            Action::FollowEntry,
            Resource::Entry {
                id: 13,
                submitter: None
            }
        ));
    }

    fn with_role(role: Role, path: &str) -> Actor {
        Actor::user(
            11,
            Some(p(path)),
            vec![Grant {
                id: 5,
                role,
                scope: Scope::Subtree(p(path)),
            }],
        )
    }

    #[test]
    fn news_is_written_by_a_units_editors_and_published_by_its_approvers() {
        let district = p("/1/5/");
        let commune = p("/1/5/9/");
        let other = p("/1/6/");
        let unit = |path| Resource::Unit { path };
        let editor = with_role(Role::Editor, "/1/5/");
        assert!(can(&editor, Action::WriteNews, unit(&district)));
        assert!(can(&editor, Action::WriteNews, unit(&commune)));
        assert!(!can(&editor, Action::WriteNews, unit(&other)));
        assert!(!can(&editor, Action::PublishNews, unit(&district)));
        assert!(!can(&editor, Action::ManageNewsCategories, unit(&district)));
        let commune_editor = with_role(Role::Editor, "/1/5/9/");
        assert!(!can(&commune_editor, Action::WriteNews, unit(&district)));
        let approver = with_role(Role::Approver, "/1/5/");
        assert!(can(&approver, Action::WriteNews, unit(&district)));
        assert!(can(&approver, Action::PublishNews, unit(&commune)));
        assert!(!can(&approver, Action::PublishNews, unit(&other)));
        assert!(can(
            &approver,
            Action::ManageNewsCategories,
            unit(&district)
        ));
        // A unit administrator writes and manages categories, but publishing takes the role.
        let admin = admin_of("/1/5/");
        assert!(can(&admin, Action::WriteNews, unit(&district)));
        assert!(!can(&admin, Action::PublishNews, unit(&district)));
        assert!(can(
            &admin,
            Action::GrantRole(Role::Approver),
            unit(&commune)
        ));
        assert!(!can(
            &editor,
            Action::GrantRole(Role::Editor),
            unit(&commune)
        ));
        assert!(can(&site_admin(), Action::PublishNews, unit(&other)));
        assert_eq!(
            reach(&editor, Action::WriteNews),
            Reach::Within(vec![p("/1/5/")])
        );
        assert_eq!(reach(&editor, Action::PublishNews), Reach::Nowhere);
        assert_eq!(reach(&admin, Action::PublishNews), Reach::Nowhere);
        assert_eq!(
            reach(&approver, Action::PublishNews),
            Reach::Within(vec![p("/1/5/")])
        );
        assert_eq!(
            reach(&Actor::anonymous(), Action::WriteNews),
            Reach::Nowhere
        );
    }

    #[test]
    fn courses_are_run_by_organizers_and_nominated_by_units_in_their_subtree() {
        let org = p("/1/5/");
        let course = Resource::Course {
            id: 3,
            organizer_path: &org,
        };
        for action in [Action::ManageCourse, Action::CheckInDelegates] {
            assert!(can(&admin_of("/1/5/"), action, course));
            assert!(!can(&admin_of("/1/5/9/"), action, course));
            assert!(can(
                &holding(Role::Organizer, ResourceKind::Course, 3),
                action,
                course
            ));
            assert!(!can(
                &holding(Role::Organizer, ResourceKind::Course, 4),
                action,
                course
            ));
            assert!(!can(
                &holding(Role::Organizer, ResourceKind::Contest, 3),
                action,
                course
            ));
        }
        let commune = p("/1/5/9/");
        let other = p("/1/5/8/");
        let unit = |unit_path| Resource::CourseUnit {
            course_id: 3,
            organizer_path: &org,
            unit_path,
        };
        assert!(can(
            &admin_of("/1/5/9/"),
            Action::NominateDelegates,
            unit(&commune)
        ));
        assert!(!can(
            &admin_of("/1/5/9/"),
            Action::NominateDelegates,
            unit(&other)
        ));
        assert!(can(
            &admin_of("/1/5/"),
            Action::NominateDelegates,
            unit(&other)
        ));
        assert!(can(
            &admin_of("/1/5/"),
            Action::CreateCourse,
            Resource::Unit { path: &org }
        ));
        assert!(!can(
            &admin_of("/1/5/9/"),
            Action::CreateCourse,
            Resource::Unit { path: &org }
        ));
        let place = Resource::Delegate {
            id: 21,
            user_id: Some(9),
        };
        let link = Actor::anonymous().with_capability(Capability {
            kind: CapabilityKind::DelegateLink,
            id: 21,
        });
        assert!(can(&link, Action::AttendCourse, place));
        assert!(!can(
            &link,
            Action::AttendCourse,
            Resource::Delegate {
                id: 22,
                user_id: None
            }
        ));
        assert!(can(
            &Actor::user(9, None, vec![]),
            Action::AttendCourse,
            place
        ));
        assert!(!can(&site_admin(), Action::AttendCourse, place));
        for action in Action::ALL {
            if action != Action::AttendCourse {
                assert!(!can(&link, action, course), "{action:?}");
            }
        }
    }

    #[test]
    fn the_operator_acts_as_a_site_administrator() {
        let op = Actor::operator("cli");
        assert!(op.is_signed_in());
        assert_eq!(op.user_id(), None);
        assert_eq!(op.audit_label().as_deref(), Some("operator:cli"));
        let root = p("/1/");
        assert!(can(&op, Action::CreateUnit, Resource::Site));
        assert!(can(&op, Action::ManageUnit, Resource::Unit { path: &root }));
        assert!(can(&op, Action::CreateUser, Resource::Site));
        assert!(can(&op, Action::GrantRole(Role::SiteAdmin), Resource::Site));
        assert_eq!(reach(&op, Action::ViewUnit), Reach::Everywhere);
    }

    #[test]
    fn anonymous_and_participants_can_do_nothing_administrative() {
        let root = p("/1/");
        for actor in [Actor::anonymous(), Actor::user(9, Some(p("/1/5/")), vec![])] {
            for action in Action::ALL {
                for resource in [Resource::Site, Resource::Unit { path: &root }] {
                    assert!(!can(&actor, action, resource), "{action:?} {resource:?}");
                }
            }
        }
        let a = Actor::user(9, Some(p("/1/5/")), vec![]);
        let me = p("/1/5/");
        assert!(can(
            &a,
            Action::ViewUser,
            Resource::User {
                id: 9,
                unit_path: Some(&me)
            }
        ));
        assert!(!can(
            &a,
            Action::ViewUser,
            Resource::User {
                id: 8,
                unit_path: Some(&me)
            }
        ));
        assert!(!can(
            &a,
            Action::ManageUser,
            Resource::User {
                id: 9,
                unit_path: Some(&me)
            }
        ));
    }

    #[test]
    fn only_invited_judges_are_offered_the_judging_pages() {
        let judge = holding(Role::Judge, ResourceKind::Round, 3);
        assert!(may_somewhere(&judge, Action::JudgeRound));
        assert!(!may_somewhere(&judge, Action::ManageContest));
        let organizer = holding(Role::Organizer, ResourceKind::Contest, 3);
        assert!(!may_somewhere(&organizer, Action::JudgeRound));
        assert!(may_somewhere(&organizer, Action::ManageContest));
        assert!(!may_somewhere(&site_admin(), Action::JudgeRound));
        assert!(may_somewhere(&admin_of("/1/5/"), Action::ScreenEntries));
        assert!(!may_somewhere(&Actor::anonymous(), Action::FollowEntry));
        assert!(may_somewhere(
            &Actor::user(4, None, vec![]),
            Action::FollowEntry
        ));
    }
}
