//! `POST /policy/edit`: puts the version edited in the form in force (issue 8) — the same
//! checks and path as a document; a refused one comes back as typed, each mistake by its
//! field.

use super::edit::{Typed, render_edit};
use crate::AppState;
use crate::csrf::CsrfForm;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use domain::policy::draft::Draft;

pub async fn submit(
    State(state): State<AppState>,
    CsrfForm { user, form }: CsrfForm<Vec<(String, String)>>,
) -> Response {
    let t = user.t;
    let Some(home) = app::status::home_unit(&user.caller.scope) else {
        return user.fail(app::Error::NotFound).into_response();
    };
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map_or_else(String::new, |(_, v)| v.clone())
    };
    let draft = Draft::from_fields(form.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let (effective_from, correction) = (field("effective_from"), field("correction"));
    let errors = match app::policy::put_draft_in_force(
        &state.app,
        &user.caller.scope,
        home,
        &effective_from,
        &draft,
        &correction,
    )
    .await
    {
        Ok(_) => return Redirect::to("/policy?done=policy_saved").into_response(),
        Err(app::policy::Refused::Fields(errors)) => errors
            .into_iter()
            .map(|e| {
                let args: Vec<(&str, &str)> =
                    e.error.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                (e.field, t.f(e.error.key, &args))
            })
            .collect(),
        Err(app::policy::Refused::Document(errors)) => errors
            .iter()
            .map(|e| (None, super::error_line(t, e)))
            .collect(),
        Err(app::policy::Refused::Date) => {
            vec![(Some("effective_from".into()), t.s("error.date").to_owned())]
        }
        Err(app::policy::Refused::VersionTaken(version)) => vec![(
            Some("version".into()),
            t.f("policy.error.version_taken", &[("version", &version)]),
        )],
        Err(app::policy::Refused::BackDated) => vec![(
            Some("correction".into()),
            t.s("policy.error.back_dated").to_owned(),
        )],
        Err(app::policy::Refused::Other(app::Error::Conflict(key))) => {
            vec![(Some("effective_from".into()), t.s(key).to_owned())]
        }
        Err(app::policy::Refused::Other(e)) => return user.fail(e).into_response(),
    };
    let typed = Typed {
        draft,
        effective_from,
        correction,
        errors,
    };
    render_edit(&state, &user, Some(typed)).await
}
