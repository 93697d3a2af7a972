//! The texts app writes itself — reminders, the alert of a major hazard — each in the
//! language of the person it goes to.

use domain::hazard::Hazard;
use domain::org::OrgUnit;
use i18n::{Lang, Tr};

/// The recipient's language: the one on their account (set at sign-in), else the default.
pub fn tr_for(user: &store::User) -> Tr {
    Tr::new(
        user.locale
            .as_deref()
            .map(Lang::from_accept_language)
            .unwrap_or_default(),
    )
}

/// The alert a major hazard sends upward at once (issue 8): title and body.
pub fn major_alert(t: Tr, hazard: &Hazard, school: &OrgUnit) -> (String, String) {
    (
        t.f("hazard.alert_title", &[("school", &school.name)]),
        t.f(
            "hazard.alert_body",
            &[
                ("place", &hazard.place),
                ("description", &hazard.description),
            ],
        ),
    )
}
