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
    // Issue 8: the score explained, and the answers in the checklist's order (not by code).
    assert!(
        page.contains("得分 4/6：計分的 5 項中 3 項合格、2 項不合格。")
            && page.contains("按其權重計分"),
        "the score is explained"
    );
    let answers = &page[page.find("id=\"answers\"").unwrap()..];
    let at = |text: &str| answers.find(text).unwrap_or_else(|| panic!("{text}"));
    assert!(
        at("從業人員晨檢") < at("每餐每菜留樣")
            && at("每餐每菜留樣") < at("留樣冰箱溫度")
            && at("留樣冰箱溫度") < at("學校領導陪餐")
            && at("學校領導陪餐") < at("生熟分開"),
        "in the checklist's order"
    );

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

const TRAFFIC: &str = r#"[[template]]
code = "traffic_safety"
version = 1
title = { zh-TW = "校車接送安全檢查", zh-CN = "校车接送安全检查", en = "School bus check" }
serves = ["R-TRF-1"]
evidence = { kind = "inspection", subtype = "special" }

[[template.section]]
title = { zh-TW = "放學路隊", zh-CN = "放学路队", en = "Dismissal lines" }
items = [
  { id = "crossing", text = { zh-TW = "校門口斑馬線與減速標誌清晰", zh-CN = "校门口斑马线与减速标志清晰", en = "Crossing and slow-down signs at the gate clear" } },
]
"#;

async fn publish(
    app: &testkit::TestApp,
    client: &reqwest::Client,
    csrf: &str,
    unit: &str,
    source: &str,
) -> reqwest::Response {
    let form = reqwest::multipart::Form::new()
        .text("_csrf", csrf.to_owned())
        .text("source", source.to_owned());
    client
        .post(app.url(&format!("/units/{unit}/checklists")))
        .multipart(form)
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn the_bureau_publishes_county_checklists_and_a_school_its_own() {
    let app = super::work::county().await;
    let bureau = app.unit_id("青山縣教育局").await;
    let school = app.unit_id("青山鎮中心國小").await;
    let other = app.unit_id("柳溪村國小").await;
    let (admin, acsrf) = app.login("admin", DEMO_PASSWORD).await;
    let refused = publish(
        &app,
        &admin,
        &acsrf,
        &bureau,
        &TRAFFIC.replace("kind = \"inspection\"", "kind = \"picnic\""),
    )
    .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(
        page.contains("文件有錯誤，未發布") && page.contains("picnic"),
        "the reason, and the text kept"
    );
    assert_eq!(
        publish(&app, &admin, &acsrf, &bureau, TRAFFIC)
            .await
            .status(),
        303
    );

    let (safety, scsrf) = app.login("safety", DEMO_PASSWORD).await;
    let own = TRAFFIC
        .replace("traffic_safety", "dorm_night")
        .replace("校車接送安全檢查", "宿舍夜間巡查");
    assert_eq!(
        publish(&app, &safety, &scsrf, &school, &own).await.status(),
        303
    );
    let forbidden = publish(&app, &safety, &scsrf, &bureau, TRAFFIC).await;
    assert!(forbidden.status() == 403 || forbidden.status() == 404);

    let (_, here) = app
        .get(&safety, &format!("/units/{school}/inspections"))
        .await;
    assert!(
        here.contains("校車接送安全檢查")
            && here.contains("宿舍夜間巡查")
            && here.contains("食堂日管控")
    );
    let (lx, _) = app.login("lx.principal", DEMO_PASSWORD).await;
    let (_, there) = app.get(&lx, &format!("/units/{other}/inspections")).await;
    assert!(
        there.contains("校車接送安全檢查") && !there.contains("宿舍夜間巡查"),
        "a school's own stay its own"
    );

    let form = reqwest::multipart::Form::new()
        .text("_csrf", scsrf.clone())
        .text("template", "dorm_night")
        .text("place", "宿舍樓")
        .text("answer.crossing", "pass");
    let saved = safety
        .post(app.url(&format!("/units/{school}/inspections")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let record = saved.headers()["location"].to_str().unwrap().to_owned();
    let (_, page) = app.get(&safety, &record).await;
    assert!(page.contains("宿舍夜間巡查") && page.contains("1/1"));
}
