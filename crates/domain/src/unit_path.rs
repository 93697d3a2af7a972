//! The path of an organisation unit (R-ORG-1): the ids from the top of the tree down to the
//! unit, each followed by `/` (`/<bureau>/<central school>/<school>/`). "At or below a unit"
//! is a prefix test, right only when every path ends in `/` — otherwise `/a1` would be the
//! prefix of `/a10/`. A `UnitPath` is built from ids or by parsing, so a path without its
//! trailing `/` cannot exist (issue 8).

use serde::{Deserialize, Deserializer, Serialize};
use std::fmt;

use crate::ids::OrgUnitId;

/// A unit's path: `/`, then one or more ids each followed by `/`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct UnitPath(String);

impl UnitPath {
    /// The path of a unit at the top of the tree.
    pub fn root(id: OrgUnitId) -> Self {
        Self(format!("/{id}/"))
    }

    /// The path of a child of this unit.
    pub fn child(&self, id: OrgUnitId) -> Self {
        Self(format!("{}{id}/", self.0))
    }

    /// Reads a stored path: `None` unless it starts and ends with `/` and has no empty step.
    pub fn parse(raw: &str) -> Option<Self> {
        let inner = raw.strip_prefix('/')?.strip_suffix('/')?;
        let well_formed = !inner.is_empty()
            && inner
                .split('/')
                .all(|step| !step.is_empty() && !step.chars().any(char::is_whitespace));
        well_formed.then(|| Self(raw.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the unit at `path` is this unit or one below it.
    pub fn contains(&self, path: &str) -> bool {
        path.starts_with(&self.0)
    }

    /// The first text after every path at or below this one (`/a/` → `/a0`, `0` being the
    /// character after `/`): `[self, upper_bound)` is the subtree, a range an index serves.
    pub fn upper_bound(&self) -> String {
        let open = self.0.strip_suffix('/').unwrap_or(&self.0);
        format!("{open}0")
    }

    /// Depth below the top of the tree (a unit at the top is 0).
    pub fn depth(&self) -> usize {
        self.0.matches('/').count().saturating_sub(2)
    }

    /// The path of the unit `levels` steps up (never above the top of the tree).
    pub fn up(&self, levels: usize) -> UnitPath {
        let ids: Vec<&str> = self.ids().collect();
        let keep = ids.len().saturating_sub(levels).max(1);
        let kept: Vec<&str> = ids.into_iter().take(keep).collect();
        Self(format!("/{}/", kept.join("/")))
    }

    /// The ids along the path, from the top down.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.0.split('/').filter(|step| !step.is_empty())
    }
}

impl std::ops::Deref for UnitPath {
    type Target = str;

    fn deref(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for UnitPath {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for UnitPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<UnitPath> for String {
    fn from(path: UnitPath) -> String {
        path.0
    }
}

impl PartialEq<str> for UnitPath {
    fn eq(&self, other: &str) -> bool {
        self.0 == other
    }
}

impl PartialEq<String> for UnitPath {
    fn eq(&self, other: &String) -> bool {
        &self.0 == other
    }
}

impl PartialEq<UnitPath> for String {
    fn eq(&self, other: &UnitPath) -> bool {
        *self == other.0
    }
}

impl<'de> Deserialize<'de> for UnitPath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        UnitPath::parse(&raw)
            .ok_or_else(|| serde::de::Error::custom(format!("not a unit path: {raw}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_always_ends_in_a_slash() {
        assert!(UnitPath::parse("/a/b/").is_some());
        for bad in ["", "/", "/a", "a/", "/a//b/", "//", "/a b/"] {
            assert!(UnitPath::parse(bad).is_none(), "{bad:?}");
        }
        let root = UnitPath::root(OrgUnitId::new());
        let child = root.child(OrgUnitId::new());
        assert!(child.ends_with('/') && root.contains(&child) && !child.contains(&root));
        assert_eq!(child.depth(), 1);
        assert_eq!(child.ids().count(), 2);
    }

    #[test]
    fn a_prefix_of_an_id_is_not_an_ancestor() {
        let a1 = UnitPath::parse("/a1/").unwrap();
        assert!(!a1.contains("/a10/"));
        assert_eq!(a1.upper_bound(), "/a10");
        assert!("/a1/x/" < a1.upper_bound().as_str() && "/a10/" >= a1.upper_bound().as_str());
    }

    #[test]
    fn it_reads_back_only_when_well_formed() {
        let path: UnitPath = serde_json::from_str("\"/a/b/\"").unwrap();
        assert_eq!(path, *"/a/b/");
        assert!(serde_json::from_str::<UnitPath>("\"/a/b\"").is_err());
    }
}
