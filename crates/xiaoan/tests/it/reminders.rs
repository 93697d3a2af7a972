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

    let notifier = Notifier::new(Some(&MailConfig {
        smtp_url: smtp.url(),
        from: "校安 <xiaoan@example.org>".into(),
    }))
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
    let restarted = app::App::new(
        store::Db::connect(&app.database_url, 2).await.unwrap(),
        app.dir.path().join("files"),
        std::sync::Arc::new(domain::clock::FixedClock::new(at)),
    );
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
