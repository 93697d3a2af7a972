//! Reminders (issue 3): before a deadline and when overdue, in the app, by e-mail through a
//! real local SMTP server and by DingTalk/WeCom robot — each once, also after a restart.

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
    let report = web::reminders::run_once(&app.app, &notifier, "https://xiaoan.example.org")
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
    assert!(body.contains("https://xiaoan.example.org/units/"), "{body}");

    let robot_messages = robot.received();
    assert!(
        robot_messages.iter().any(|m| m["msgtype"] == "markdown"
            && m["markdown"]["title"]
                .as_str()
                .is_some_and(|t| t.contains("領導小組安全穩定工作會議"))),
        "{robot_messages:?}"
    );

    let (_, home) = app.get(&principal, "/").await;
    assert!(
        home.contains("id=\"notifications\"")
            && home.contains("即將到期：領導小組安全穩定工作會議")
    );

    // Run again, and again after a restart on the same database: nothing is sent twice.
    let again = web::reminders::run_once(&app.app, &notifier, "https://xiaoan.example.org")
        .await
        .unwrap();
    assert_eq!(again.recorded, 0);
    let restarted = app
        .reopen(std::sync::Arc::new(domain::clock::FixedClock::new(at)))
        .await;
    let after_restart =
        web::reminders::run_once(&restarted, &notifier, "https://xiaoan.example.org")
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
        .app
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
    let mut write = app.app.db.write(&system, app.app.now()).await.unwrap();
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
    let report = web::reminders::run_once(&app.app, &notifier, "http://xiaoan.test")
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
    let again = web::reminders::run_once(&app.app, &notifier, "http://xiaoan.test")
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
        .app
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
            ("days_before", "30"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), 303);
    let notifier = Notifier::new(None, &app.app.outbound).unwrap();
    web::reminders::run_once(&app.app, &notifier, "http://xiaoan.test")
        .await
        .unwrap();
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
        .app
        .db
        .user_for_login("sq.principal")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.locale.as_deref(), Some("en"));
}
