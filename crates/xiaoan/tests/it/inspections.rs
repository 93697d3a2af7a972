//! Inspecting by checklist on a phone (R-HZD-1, R-FOOD-1): every item answered, a failed
//! item with its photo becomes a hazard, the inspection satisfies its obligation, and a
//! refused one comes back with every answer kept.

use testkit::DEMO_PASSWORD;

fn photo(name: &str) -> reqwest::multipart::Part {
    let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xDB, 0, 4, 0, 0];
    jpeg.extend_from_slice(&[0xFF, 0xDA, 0, 2, 1, 2, 3, 4, 0xFF, 0xD9]);
    reqwest::multipart::Part::bytes(jpeg).file_name(name.to_owned())
}

fn canteen_form(csrf: &str, fridge: &str, with_sample_photo: bool) -> reqwest::multipart::Form {
    let mut form = reqwest::multipart::Form::new()
        .text("_csrf", csrf.to_owned())
        .text("template", "canteen_daily")
        .text("place", "學生食堂")
        .text("answer.health", "pass")
        .text("answer.samples", "pass")
        .text("answer.fridge", fridge.to_owned())
        .text("note.fridge", "冰箱溫控故障，溫度 12°C")
        .text("answer.accompany", "pass")
        .text("answer.raw_cooked", "fail")
        .text("note.raw_cooked", "砧板生熟未分開")
        .part("photo.raw_cooked", photo("board.jpg"));
    if with_sample_photo {
        form = form.part("photo.samples", photo("samples.jpg"));
    }
    form
}

#[tokio::test]
async fn a_canteen_inspection_finds_hazards_and_satisfies_the_daily_check() {
    let app = super::work::county().await;
    let school = app.unit_id("青山鎮中心國小").await;
    let (teacher, csrf) = app.login("teacher", DEMO_PASSWORD).await;
    let (status, page) = app
        .get(
            &teacher,
            &format!("/units/{school}/inspections/new?template=canteen_daily"),
        )
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("留樣冰箱溫度") && page.contains("data-draft="));

    // A photo is required for the samples: refused, and everything typed comes back.
    let refused = teacher
        .post(app.url(&format!("/units/{school}/inspections")))
        .multipart(canteen_form(&csrf, "12", false))
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("這一項需要拍照"));
    assert!(
        page.contains("value=\"12\"") && page.contains("砧板生熟未分開"),
        "answers are kept"
    );

    let saved = teacher
        .post(app.url(&format!("/units/{school}/inspections")))
        .multipart(canteen_form(&csrf, "12", true))
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let record = saved.headers()["location"].to_str().unwrap().to_owned();
    let (_, page) = app.get(&teacher, &record).await;
    assert!(
        page.contains("id=\"found-hazards\"")
            && page.contains("砧板生熟未分開")
            && page.contains("冰箱溫控故障")
    );
    assert!(
        page.contains("data-draft-clear="),
        "the draft is cleared after the save"
    );
    let score = &page[page.find("id=\"inspection-score\">").unwrap() + 22..];
    // Weights: health 1, samples 2, accompany 1 passed; fridge 1 and raw/cooked 1 failed.
    assert!(score.starts_with("4/6"), "{}", &score[..10]);

    let (_, ledger) = app
        .get(&teacher, &format!("/units/{school}/hazards?state=reported"))
        .await;
    assert_eq!(
        ledger.matches("data-hazard=").count(),
        2,
        "two failed items, two hazards"
    );
    let (_, calendar) = app
        .get(&teacher, &format!("/units/{school}/calendar"))
        .await;
    assert_eq!(
        super::work::row_state(&calendar, "canteen_check_daily"),
        "done",
        "today's canteen check is done by the inspection"
    );
}
