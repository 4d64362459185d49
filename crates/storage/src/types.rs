//! Values that exist only in their valid form, so the code that receives one never checks it
//! again.

use std::fmt;

use sea_orm::DeriveValueType;
use serde::{Deserialize, Serialize};

/// The materialized path of a unit in the tree: the ids from the root down, each followed by
/// a slash, e.g. `/1/5/9/`. Subtree checks are prefix checks, which are right only because
/// every path starts and ends with a slash: `/1/5/` contains `/1/5/9/` but not `/1/50/`.
#[derive(
    Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, DeriveValueType, Serialize, Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct UnitPath(String);

impl UnitPath {
    /// Accepts `/`-separated positive ids with a leading and a trailing slash.
    pub fn parse(s: &str) -> Option<UnitPath> {
        let inner = s.strip_prefix('/')?.strip_suffix('/')?;
        if inner.is_empty() {
            return None;
        }
        let ok = inner.split('/').all(|id| {
            !id.is_empty()
                && id.len() <= 19
                && id.bytes().all(|b| b.is_ascii_digit())
                && !id.starts_with('0')
        });
        ok.then(|| UnitPath(s.to_string()))
    }

    /// The path of a child with this id.
    pub fn child(&self, id: i64) -> UnitPath {
        UnitPath(format!("{}{id}/", self.0))
    }

    /// The root of a tree: a unit with no parent.
    pub fn root(id: i64) -> UnitPath {
        UnitPath(format!("/{id}/"))
    }

    /// A stand-in written before a new unit's id is known (replaced in the same transaction).
    pub(crate) fn pending() -> UnitPath {
        UnitPath("/".into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether `other` is this unit or lies below it.
    pub fn contains(&self, other: &UnitPath) -> bool {
        other.0.starts_with(&self.0)
    }

    /// The ids on the path, from the root down.
    pub fn ids(&self) -> impl Iterator<Item = i64> + '_ {
        self.0.split('/').filter_map(|s| s.parse().ok())
    }

    /// This unit's own id (the last on the path).
    pub fn id(&self) -> i64 {
        self.ids().last().unwrap_or(0)
    }

    /// The paths of this unit and each of its ancestors, from the root down.
    pub fn ancestors_and_self(&self) -> Vec<UnitPath> {
        let mut out = Vec::new();
        let mut cur = String::from("/");
        for id in self.ids() {
            cur.push_str(&id.to_string());
            cur.push('/');
            out.push(UnitPath(cur.clone()));
        }
        out
    }

    /// How many levels down from the root (a root unit is 1).
    pub fn depth(&self) -> usize {
        self.ids().count()
    }
}

impl TryFrom<String> for UnitPath {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        UnitPath::parse(&s).ok_or_else(|| format!("not a unit path: {s:?}"))
    }
}

impl From<UnitPath> for String {
    fn from(p: UnitPath) -> String {
        p.0
    }
}

impl fmt::Display for UnitPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for UnitPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::UnitPath;

    #[test]
    fn only_well_formed_paths_parse() {
        for good in ["/1/", "/1/5/", "/1/5/9/", "/12/345/"] {
            assert!(UnitPath::parse(good).is_some(), "{good}");
        }
        for bad in [
            "", "/", "//", "1/5/", "/1/5", "/1//5/", "/a/", "/1/5/%/", "/01/", "/-1/", "/1/ 5/",
        ] {
            assert!(UnitPath::parse(bad).is_none(), "{bad:?}");
        }
    }

    #[test]
    fn subtrees_are_prefixes_on_slash_boundaries() {
        let p = |s| UnitPath::parse(s).unwrap();
        assert!(p("/1/5/").contains(&p("/1/5/")));
        assert!(p("/1/5/").contains(&p("/1/5/9/")));
        assert!(!p("/1/5/").contains(&p("/1/50/")));
        assert!(!p("/1/5/9/").contains(&p("/1/5/")));
        assert_eq!(p("/1/5/").child(9), p("/1/5/9/"));
        assert_eq!(UnitPath::root(3), p("/3/"));
        assert_eq!(p("/1/5/9/").id(), 9);
        assert_eq!(
            p("/1/5/9/").ancestors_and_self(),
            vec![p("/1/"), p("/1/5/"), p("/1/5/9/")]
        );
    }
}
