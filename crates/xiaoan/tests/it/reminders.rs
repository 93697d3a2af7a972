//! Reminders (issue 3, issue 8): the work each person's inbox holds, before its deadline and
//! when overdue, in the app, by e-mail through a real local SMTP server and by DingTalk/WeCom
//! robot — each once, also after a restart; in the person's language, with a short label
//! for the link; work done before the next run is not reminded of again.

use app::notify::{MailConfig, Notifier};
use testkit::{DEMO_PASSWORD, Robot, SmtpSink, TestApp};
use time::macros::datetime;

#[tokio::test]
async fn a_principal_is_reminded_once_in_the_app_by_mail_and_by_robot() {
    // Saturday 28 November 2026: the monthly meeting is due on the 30th.
    let at = datetime!(2026-11-28 09:00 +8);
    let app = TestApp::with_demo_at(at).await;
    let smtp = SmtpSink::start().await;
    let robot = Robot::start().await;
    let (principal, csrf) = app.login("sq.principal", DEMO_PASSWORD).await;

    let refused = app
        .post(
            &principal,
            &csrf,
            "/account/reminders",
            &[
                ("in_app", "on"),
                ("email", "not an address"),
                ("webhook_kind", "dingtalk"),
                ("webhook_url", &robot.url),
                ("days_before", "3"),
            ],
        )
        .await;
    assert_eq!(refused.status(), 422);
    let page = refused.text().await.unwrap();
    assert!(page.contains("請輸入正確的電子郵件地址") && page.contains("not an address"));
    let saved = app
        .post(
            &principal,
            &csrf,
            "/account/reminders",
            &[
                ("in_app", "on"),
                ("email", "sq.principal@example.org"),
                ("webhook_kind", "dingtalk"),
                ("webhook_url", &robot.url),
                ("days_before", "3"),
            ],
        )
        .await;
    assert_eq!(saved.status(), 303);

    let notifier = Notifier::new(
        Some(&MailConfig {
            smtp_url: smtp.url(),
            from: "校安 <xiaoan@example.org>".into(),
        }),
        &app.app.outbound,
    )
    .unwrap();
    let report = app::reminder_run::run_once(&app.app, &notifier, "https://xiaoan.example.org")
        .await
        .unwrap();
    assert!(report.recorded >= 1 && report.failures == 0, "{report:?}");

    let mail = smtp.received();
    let to_principal: Vec<_> = mail
        .iter()
        .filter(|m| m.to.iter().any(|t| t.contains("sq.principal@example.org")))
        .collect();
    let meeting = to_principal
        .iter()
        .find(|m| m.text_body().contains("領導小組安全穩定工作會議"))
        .expect("an e-mail about the meeting");
    let body = meeting.text_body();
    assert!(
        body.contains("石橋村國小") && body.contains("2026-11-30"),
        "{body}"
    );
    // A short label line, then the link on its own line (issue 8).
    assert!(
        body.replace("\r\n", "\n")
            .contains("\n開啟行事曆\nhttps://xiaoan.example.org/units/"),
        "{body}"
    );

    let robot_messages = robot.received();
    let meeting = robot_messages
        .iter()
        .find(|m| {
            m["msgtype"] == "markdown"
                && m["markdown"]["title"]
                    .as_str()
                    .is_some_and(|t| t.contains("領導小組安全穩定工作會議"))
        })
        .unwrap_or_else(|| panic!("{robot_messages:?}"));
    let text = meeting["markdown"]["text"].as_str().unwrap();
    assert!(
        text.contains("[開啟行事曆](https://xiaoan.example.org/units/"),
        "the link under a short label: {text}"
    );

    let (_, home) = app.get(&principal, "/").await;
    assert!(
        home.contains("id=\"notifications\"")
            && home.contains("即將到期：領導小組安全穩定工作會議")
    );
    let user = app
        .db
        .user_for_login("sq.principal")
        .await
        .unwrap()
        .unwrap();
    let notes = app
        .db
        .notifications(&domain::scope::Scope::system("test"), &user, 50)
        .await
        .unwrap();
    assert!(
        notes.iter().all(|n| !n.body.contains("http")),
        "no raw address across a phone screen: {notes:?}"
    );

    // Run again, and again after a restart on the same database: nothing is sent twice.
    let again = app::reminder_run::run_once(&app.app, &notifier, "https://xiaoan.example.org")
        .await
        .unwrap();
    assert_eq!(again.recorded, 0);
    let restarted = app
        .reopen(std::sync::Arc::new(domain::clock::FixedClock::new(at)))
        .await;
    let after_restart =
        app::reminder_run::run_once(&restarted, &notifier, "https://xiaoan.example.org")
            .await
            .unwrap();
    assert_eq!(after_restart.recorded, 0);
    assert_eq!(smtp.received().len(), mail.len(), "no duplicate e-mail");
    assert_eq!(
        robot.received().len(),
        robot_messages.len(),
        "no duplicate robot message"
    );

    let read = app
        .post(&principal, &csrf, "/notifications/read", &[])
        .await;
    assert_eq!(read.status(), 303);
    let (_, home) = app.get(&principal, "/").await;
    assert!(!home.contains("id=\"notifications\""));
}

#[tokio::test]
async fn an_overdue_hazard_escalates_to_the_principal_then_the_central_school() {
    use domain::hazard::{Hazard, HazardState, Severity};
    let at = datetime!(2026-11-28 09:00 +8);
    let app = TestApp::with_demo_at(at).await;
    let system = domain::scope::Scope::system("test");
    let school = app
        .db
        .unit(&system, app.unit_id("柳溪村國小").await.parse().unwrap())
        .await
        .unwrap();
    let overdue = |deadline: time::Date, place: &str| Hazard {
        id: domain::ids::HazardId::new(),
        school_id: school.id,
        school_path: school.path.to_string(),
        place: place.into(),
        description: "圍牆裂縫".into(),
        severity: Severity::General,
        category: None,
        state: HazardState::Assigned,
        responsible_id: None,
        responsible_name: Some("王老師".into()),
        deadline: Some(deadline),
        submitted_by: None,
        source: None,
        reported_by: "測試".into(),
        reported_on: time::macros::date!(2026 - 11 - 01),
        closed_on: None,
    };
    let mut write = app.db.write(&system, app.app.now()).await.unwrap();
    write
        .add_hazard(
            &school,
            &overdue(time::macros::date!(2026 - 11 - 10), "西側圍牆"),
            None,
        )
        .await
        .unwrap();
    write
        .add_hazard(
            &school,
            &overdue(time::macros::date!(2026 - 11 - 25), "北側圍牆"),
            None,
        )
        .await
        .unwrap();
    write.commit().await.unwrap();

    let notifier = Notifier::new(None, &app.app.outbound).unwrap();
    let report = app::reminder_run::run_once(&app.app, &notifier, "http://xiaoan.test")
        .await
        .unwrap();
    assert!(report.recorded >= 3, "{report:?}");
    let (principal, _) = app.login("lx.principal", DEMO_PASSWORD).await;
    let (_, home) = app.get(&principal, "/").await;
    assert!(home.contains("隱患逾期未整改：柳溪村國小 西側圍牆") && home.contains("北側圍牆"));
    let (central, _) = app.login("central", DEMO_PASSWORD).await;
    let (_, home) = app.get(&central, "/").await;
    assert!(
        home.contains("西側圍牆"),
        "a week past its deadline it reaches the central school"
    );
    assert!(!home.contains("北側圍牆"), "three days past, not yet");
    let again = app::reminder_run::run_once(&app.app, &notifier, "http://xiaoan.test")
        .await
        .unwrap();
    assert_eq!(again.recorded, 0);
}

/// Issue 8: someone who signs in reading English gets their reminders in English, though
/// they never chose a language on their account; a chosen language is never overwritten.
#[tokio::test]
async fn reminders_follow_the_language_a_person_signs_in_with() {
    let app = super::work::county().await;
    let client = TestApp::client();
    let english = Some("en-GB,en;q=0.9");
    let signed_in =
        testkit::submit_login(&client, &app.base, "sq.principal", DEMO_PASSWORD, english).await;
    assert_eq!(signed_in.status(), 303);
    let user = app
        .db
        .user_for_login("sq.principal")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.locale.as_deref(), Some("en"));
    let home = client
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let csrf = testkit::hidden_value(&home, "_csrf").unwrap();
    let saved = client
        .post(app.url("/account/reminders"))
        .form(&[
            ("_csrf", csrf.as_str()),
            ("in_app", "on"),
            ("email", "sq.principal@example.org"),
            ("days_before", "30"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let smtp = SmtpSink::start().await;
    let notifier = Notifier::new(
        Some(&MailConfig {
            smtp_url: smtp.url(),
            from: "Xiao'an <xiaoan@example.org>".into(),
        }),
        &app.app.outbound,
    )
    .unwrap();
    app::reminder_run::run_once(&app.app, &notifier, "http://xiaoan.test")
        .await
        .unwrap();
    let mail = smtp.received();
    let meeting = mail
        .iter()
        .map(|m| m.text_body().replace("\r\n", "\n"))
        .find(|body| body.contains("Leadership group safety meeting"))
        .unwrap_or_else(|| panic!("an English e-mail about the meeting: {mail:?}"));
    assert!(
        meeting.contains("is due by")
            && meeting.contains("\nOpen the work calendar\nhttp://xiaoan.test/units/"),
        "in English, with the link under a short English label: {meeting}"
    );
    let home = client
        .get(app.url("/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("Due soon: "), "{home}");
    assert!(
        !home.contains("即將到期："),
        "no Traditional Chinese reminder: {home}"
    );
    // Signing in again in another language does not overwrite the account's own.
    let (again, _) = app.login("sq.principal", DEMO_PASSWORD).await;
    let _ = again;
    let user = app
        .db
        .user_for_login("sq.principal")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.locale.as_deref(), Some("en"));
}

/// Issue 8: the run reads the one inbox, so work done before the next run is not reminded
/// of again — while work still open is, once overdue.
#[tokio::test]
async fn work_done_is_gone_from_the_next_reminder_run() {
    let app = super::work::county().await;
    let school = app.unit_id("青山鎮中心國小").await;
    let (teacher, tcsrf) = app.login("teacher", DEMO_PASSWORD).await;
    let done = crate::hazards::report(&app, &teacher, &tcsrf, &school, "general").await;
    let open = crate::hazards::report(&app, &teacher, &tcsrf, &school, "general").await;
    let canteen = app.db.user_for_login("canteen").await.unwrap().unwrap();
    let person = canteen.person_id.to_string();
    let (safety, scsrf) = app.login("safety", DEMO_PASSWORD).await;
    for hazard in [&done, &open] {
        let assigned = crate::hazards::step(
            &app,
            &safety,
            &scsrf,
            hazard,
            &[("action", "assign"), ("person", &person)],
            false,
        )
        .await;
        assert_eq!(assigned.status(), 303);
    }
    let (cook, ccsrf) = app.login("canteen", DEMO_PASSWORD).await;
    let saved = app
        .post(
            &cook,
            &ccsrf,
            "/account/reminders",
            &[("in_app", "on"), ("days_before", "30")],
        )
        .await;
    assert_eq!(saved.status(), 303);
    let notifier = Notifier::new(None, &app.app.outbound).unwrap();
    let system = domain::scope::Scope::system("test");
    let about = |hazard: &str, prefix: &str, notes: &[app::Notification]| {
        notes
            .iter()
            .filter(|n| n.link == hazard && n.title.starts_with(prefix))
            .count()
    };

    // 20 November: both are due on 4 December, within her 30 days.
    app::reminder_run::run_once(&app.app, &notifier, "http://xiaoan.test")
        .await
        .unwrap();
    let notes = app.db.notifications(&system, &canteen, 50).await.unwrap();
    assert_eq!(about(&done, "即將到期：", &notes), 1, "{notes:?}");
    assert_eq!(about(&open, "即將到期：", &notes), 1, "{notes:?}");

    // She rectifies one; on 10 December only the other is overdue.
    let submitted = crate::hazards::step(
        &app,
        &cook,
        &ccsrf,
        &done,
        &[("action", "submit"), ("note", "已更換滅火器")],
        true,
    )
    .await;
    assert_eq!(submitted.status(), 303);
    let later = app
        .reopen(std::sync::Arc::new(domain::clock::FixedClock::new(
            datetime!(2026-12-10 10:00 +8),
        )))
        .await;
    app::reminder_run::run_once(&later, &notifier, "http://xiaoan.test")
        .await
        .unwrap();
    let notes = app.db.notifications(&system, &canteen, 50).await.unwrap();
    assert_eq!(about(&open, "已逾期：", &notes), 1, "still open: {notes:?}");
    assert_eq!(
        about(&done, "已逾期：", &notes),
        0,
        "done before the run: not reminded again: {notes:?}"
    );
}
