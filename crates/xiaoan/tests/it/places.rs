//! Places and equipment (R-HZD-5, R-SEC-1): key locations listed first, equipment due for
//! its monthly check shows as the safety officer's work until it is checked.

use testkit::DEMO_PASSWORD;

#[tokio::test]
async fn equipment_due_for_its_check_is_work_until_checked() {
    let app = super::work::county().await;
    let school = app.unit_id("青山鎮中心國小").await;
    let (safety, csrf) = app.login("safety", DEMO_PASSWORD).await;
    let path = format!("/units/{school}/places");
    assert_eq!(
        app.post(
            &safety,
            &csrf,
            &path,
            &[("name", "宿舍樓"), ("kind", "dormitory")]
        )
        .await
        .status(),
        303
    );
    assert_eq!(
        app.post(
            &safety,
            &csrf,
            &path,
            &[("name", "操場"), ("kind", "playground")]
        )
        .await
        .status(),
        303
    );
    let twice = app
        .post(
            &safety,
            &csrf,
            &path,
            &[("name", "宿舍樓"), ("kind", "dormitory")],
        )
        .await;
    assert_eq!(twice.status(), 422, "one name once");
    let backwards = app
        .post(
            &safety,
            &csrf,
            &format!("/units/{school}/equipment"),
            &[
                ("place", "宿舍樓"),
                ("kind", "extinguisher"),
                ("label", "MFZ/ABC4 #12"),
                ("serviced_on", "2026-09-01"),
                ("expires_on", "2026-08-31"),
            ],
        )
        .await;
    assert_eq!(
        backwards.status(),
        422,
        "issue 8: expiry before service is refused"
    );
    let page = backwards.text().await.unwrap();
    assert!(
        page.contains("有效期限早於投入使用日期") && page.contains("MFZ/ABC4 #12"),
        "with what was typed"
    );
    let added = app
        .post(
            &safety,
            &csrf,
            &format!("/units/{school}/equipment"),
            &[
                ("place", "宿舍樓"),
                ("kind", "extinguisher"),
                ("label", "MFZ/ABC4 #12"),
                ("expires_on", "2027-06-30"),
            ],
        )
        .await;
    assert_eq!(added.status(), 303);
    let (_, page) = app.get(&safety, &path).await;
    let places = &page[page.find("id=\"places\"").unwrap()..];
    assert!(
        places.find("宿舍樓") < places.find("操場"),
        "key locations first"
    );
    assert!(page.contains("待月檢"));
    let (_, home) = app.get(&safety, "/").await;
    assert!(home.contains("設備月檢：宿舍樓 MFZ/ABC4 #12"));

    let id = page
        .split("action=\"/equipment/")
        .nth(1)
        .unwrap()
        .split('/')
        .next()
        .unwrap()
        .to_owned();
    let (teacher, tcsrf) = app.login("teacher", DEMO_PASSWORD).await;
    let checked = app
        .post(&teacher, &tcsrf, &format!("/equipment/{id}/check"), &[])
        .await;
    assert_eq!(
        checked.status(),
        303,
        "anyone at the school records the check"
    );
    let (_, page) = app.get(&safety, &path).await;
    assert!(page.contains("2026-11-20") && !page.contains("待月檢"));
    let (_, home) = app.get(&safety, "/").await;
    assert!(!home.contains("設備月檢"));
}
