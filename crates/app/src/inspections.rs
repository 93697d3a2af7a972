//! Inspecting by checklist (R-HZD-1, R-HZD-4, R-FOOD-1, R-ASM-1): a template answered item
//! by item at a place, with photos; every failed item becomes a hazard of the school, in
//! the same change; the inspection is evidence of the obligations its template serves.

use crate::auth::Caller;
use crate::files::{self, Upload};
use crate::{App, Error, Result};
use domain::checklist::Template;
use domain::error::bounded_text;
use domain::hazard::{Hazard, HazardState, Severity};
use domain::ids::{HazardId, InspectionId, OrgUnitId};
use domain::inspection::{Inspection, ItemAnswer, parse_answer, score};
use domain::role::Permission;
use domain::scope::Scope;
use std::collections::HashMap;
use store::Attachment;

/// What the inspector sent.
#[derive(Default)]
pub struct Submitted {
    pub template: String,
    pub place: String,
    /// Item id → (answer, note).
    pub answers: HashMap<String, (String, String)>,
    /// Item id → its photos.
    pub photos: HashMap<String, Vec<Upload>>,
}

/// Why an inspection was refused: the mistakes by field and by item (i18n keys).
#[derive(Debug, Default)]
pub struct Mistakes {
    pub place: Option<&'static str>,
    pub items: HashMap<String, &'static str>,
}

#[derive(Debug)]
pub enum Refused {
    Form(Mistakes),
    Other(Error),
}

impl<E: Into<Error>> From<E> for Refused {
    fn from(e: E) -> Self {
        Refused::Other(e.into())
    }
}

/// Records an inspection of `school_id`; `lang` is the inspector's language, used for the
/// hazards written from failed items.
/// Whether the caller may record an inspection at `school_id` — asked before the photos
/// are received.
#[tracing::instrument(skip_all, fields(school_id = %school_id))]
pub async fn may_record(app: &App, caller: &Caller, school_id: OrgUnitId) -> Result<()> {
    crate::school_for(app, &caller.scope, school_id, Permission::RecordActivity)
        .await
        .map(drop)
}

#[tracing::instrument(skip_all, fields(school_id = %school_id))]
pub async fn record(
    app: &App,
    caller: &Caller,
    school_id: OrgUnitId,
    mut submitted: Submitted,
    lang: &str,
) -> Result<(Inspection, Vec<Hazard>), Refused> {
    let scope = &caller.scope;
    let school = crate::school_for(app, scope, school_id, Permission::RecordActivity).await?;
    let template =
        crate::checklists::template_for(app, scope, &school, &submitted.template).await?;
    let template = &template;
    let mut mistakes = Mistakes::default();
    let place = match bounded_text("place", &submitted.place, 100) {
        Ok(p) => p,
        Err(e) => {
            mistakes.place = e.0.first().map(|f| f.message);
            String::new()
        }
    };
    let mut answers = Vec::new();
    let mut photos = HashMap::new();
    for item in template.items() {
        let uploads = submitted.photos.remove(&item.id).unwrap_or_default();
        let checked = match files::check(uploads).await {
            Ok(files) => files,
            Err(e) => {
                mistakes.items.insert(
                    item.id.clone(),
                    e.0.first().map_or("error.upload_type", |f| f.message),
                );
                continue;
            }
        };
        let (raw, note) = submitted.answers.remove(&item.id).unwrap_or_default();
        match parse_answer(item, &raw, &note, !checked.is_empty()) {
            Ok(answer) => answers.push(answer),
            Err(key) => {
                mistakes.items.insert(item.id.clone(), key);
            }
        }
        photos.insert(item.id.clone(), checked);
    }
    if mistakes.place.is_some() || !mistakes.items.is_empty() {
        return Err(Refused::Form(mistakes));
    }
    let (got, max) = score(template, &answers);
    let today = app.today();
    let inspection = Inspection {
        id: InspectionId::new(),
        school_id: school.id,
        school_path: school.path.to_string(),
        template_code: template.code.clone(),
        template_version: template.version,
        evidence_kind: template.evidence_kind.clone(),
        evidence_subtype: template.evidence_subtype.clone(),
        title: template.title.get(lang).to_owned(),
        place,
        inspected_on: today,
        inspector: caller.user.person_name.clone(),
        score: got,
        max_score: max,
        failed: answers.iter().filter(|a| a.failed).count() as u32,
    };
    let mut kept = HashMap::new();
    for (item, files) in photos {
        kept.insert(item, files::keep(app, files).await?);
    }
    let mut write = app.db.write(scope, app.now()).await?;
    write.add_inspection(&school, &inspection, &answers).await?;
    let mut hazards = Vec::new();
    for item in template.items() {
        let photos = kept.get(&item.id).map(Vec::as_slice).unwrap_or_default();
        write
            .add_attachments(
                &format!("inspections/{}/{}", inspection.id, item.id),
                &school,
                photos,
            )
            .await?;
        let Some(answer) = answers.iter().find(|a| a.item_id == item.id && a.failed) else {
            continue;
        };
        let hazard = Hazard {
            id: HazardId::new(),
            school_id: school.id,
            school_path: school.path.to_string(),
            place: inspection.place.clone(),
            description: format!(
                "{}：{}",
                item.text.get(lang),
                answer.note.as_deref().unwrap_or_default()
            ),
            severity: Severity::General,
            category: None,
            state: HazardState::Reported,
            responsible_id: None,
            responsible_name: None,
            deadline: None,
            submitted_by: None,
            source: Some(format!("inspections/{}", inspection.id)),
            reported_by: inspection.inspector.clone(),
            reported_on: today,
            closed_on: None,
        };
        let event = write.add_hazard(&school, &hazard, None).await?;
        write
            .add_attachments(&format!("hazards/{}/{event}", hazard.id), &school, photos)
            .await?;
        hazards.push(hazard);
    }
    write.commit().await?;
    Ok((inspection, hazards))
}

/// An inspection with its answers, photos and the hazards it found.
pub struct InspectionView {
    pub inspection: Inspection,
    pub template: Option<Template>,
    pub answers: Vec<ItemAnswer>,
    pub photos: Vec<Attachment>,
    pub hazards: Vec<Hazard>,
}

#[tracing::instrument(skip_all, fields(id = %id))]
pub async fn show(app: &App, scope: &Scope, id: InspectionId) -> Result<InspectionView> {
    let inspection = app.db.inspection(scope, id).await?;
    let answers = app.db.inspection_answers(scope, &inspection).await?;
    let school_unit = app.db.unit(scope, inspection.school_id).await?;
    // A template retired from the library since leaves the answers without their texts.
    let template = crate::optional(
        crate::checklists::template_for(app, scope, &school_unit, &inspection.template_code).await,
    )?;
    let mut photos = Vec::new();
    for a in &answers {
        photos.extend(
            app.db
                .attachments(
                    scope,
                    &format!("inspections/{}/{}", inspection.id, a.item_id),
                )
                .await?,
        );
    }
    let school = app.db.unit(scope, inspection.school_id).await?;
    let source = format!("inspections/{}", inspection.id);
    let hazards = app
        .db
        .hazards(
            scope,
            &school,
            &store::HazardFilter {
                from: Some(inspection.inspected_on),
                to: Some(inspection.inspected_on),
                limit: 500,
                ..store::HazardFilter::default()
            },
        )
        .await?
        .into_iter()
        .filter(|h| h.source.as_deref() == Some(source.as_str()))
        .collect();
    Ok(InspectionView {
        inspection,
        template,
        answers,
        photos,
        hazards,
    })
}

/// The inspections of the schools under unit `id`, from `from` to `to`.
pub async fn list(
    app: &App,
    scope: &Scope,
    id: OrgUnitId,
    from: time::Date,
    to: time::Date,
) -> Result<(domain::org::OrgUnit, Vec<Inspection>)> {
    let unit = app.db.unit(scope, id).await?;
    let inspections = app.db.inspections(scope, &unit, from, to).await?;
    Ok((unit, inspections))
}
