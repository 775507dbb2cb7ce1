//! The actions a nuget.org API key can be granted.
//!
//! The page's form submits scope ids (`package:push`, ...), while the page data describes an
//! existing key's scopes in human words ("Push only new package versions"). Both spellings map
//! to one [`Scope`] here so the rest of the core never compares strings.

use serde::Serialize;

/// One action a key may be granted for the packages its subjects match.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub enum Scope {
    /// `package:push`: push new package ids and new versions of existing ones.
    #[serde(rename = "package:push")]
    Push,
    /// `package:pushversion`: push new versions of packages that already exist.
    #[serde(rename = "package:pushversion")]
    PushVersion,
    /// `package:unlist`: unlist, relist (and deprecate) package versions.
    #[serde(rename = "package:unlist")]
    Unlist,
}

impl Scope {
    /// Every scope, in the order nuget.org's form shows them.
    pub const ALL: [Scope; 3] = [Scope::Push, Scope::PushVersion, Scope::Unlist];

    /// The scope id the form submits and nuget.org's API uses.
    pub fn id(self) -> &'static str {
        match self {
            Scope::Push => "package:push",
            Scope::PushVersion => "package:pushversion",
            Scope::Unlist => "package:unlist",
        }
    }

    /// Parses a scope id such as `package:push`.
    pub fn from_id(id: &str) -> Option<Scope> {
        Scope::ALL.into_iter().find(|scope| scope.id() == id.trim())
    }

    /// The scopes a form's ticked scope ids name, in their order; ids that are no package
    /// action (`package:verify`, a typo from a changed page) are left out.
    pub fn from_ids(ids: &[String]) -> Vec<Scope> {
        ids.iter().filter_map(|id| Scope::from_id(id)).collect()
    }

    /// Parses the human description the page data uses for an existing key's scope.
    ///
    /// Returns `None` for descriptions that are not one of the three package actions
    /// ("All" and "Verify package ownership" are handled by the caller).
    pub fn from_description(text: &str) -> Option<Scope> {
        match text.trim() {
            "Push new packages and package versions" => Some(Scope::Push),
            "Push only new package versions" => Some(Scope::PushVersion),
            "Unlist or relist package versions"
            | "Unlist, relist, or deprecate package versions" => Some(Scope::Unlist),
            _ => None,
        }
    }

    /// Whether this scope lets a key push versions of a package that already exists.
    pub fn pushes_versions(self) -> bool {
        matches!(self, Scope::Push | Scope::PushVersion)
    }

    /// Whether this scope lets a key create package ids that do not exist yet.
    pub fn pushes_new_ids(self) -> bool {
        self == Scope::Push
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scope_ids_round_trip() {
        for scope in Scope::ALL {
            assert_eq!(Scope::from_id(scope.id()), Some(scope));
        }
        assert_eq!(Scope::from_id("package:verify"), None);
    }

    #[test]
    fn from_ids_keeps_the_known_ids_in_order_and_leaves_out_the_rest() {
        let ids = [
            "package:unlist",
            "package:verify",
            " package:push ",
            "Package:Push",
        ]
        .map(String::from);
        assert_eq!(Scope::from_ids(&ids), vec![Scope::Unlist, Scope::Push]);
        assert_eq!(Scope::from_ids(&[]), Vec::<Scope>::new());
    }

    #[test]
    fn both_unlist_descriptions_mean_unlist() {
        assert_eq!(
            Scope::from_description("Unlist or relist package versions"),
            Some(Scope::Unlist)
        );
        assert_eq!(
            Scope::from_description("Unlist, relist, or deprecate package versions"),
            Some(Scope::Unlist)
        );
    }

    #[test]
    fn only_push_new_creates_ids() {
        assert!(Scope::Push.pushes_new_ids());
        assert!(!Scope::PushVersion.pushes_new_ids());
        assert!(Scope::PushVersion.pushes_versions());
        assert!(!Scope::Unlist.pushes_versions());
    }
}
