//! `xiaoan policy check FILE` and `xiaoan policy show` (R-POL-1): the same validation as
//! the web page, messages in the operator's language (from `LANG`).

use crate::cli::PolicyCommand;
use crate::config::Config;
use domain::calendar::format_date;
use domain::org::OrgUnit;
use domain::scope::Scope;
use std::process::ExitCode;
use web::i18n::{Lang, Tr};

/// The language of `LANG` (`zh_TW.UTF-8` → Traditional Chinese); English otherwise.
fn operator_language() -> Tr {
    let lang = std::env::var("LANG").unwrap_or_default();
    let tag = lang.split('.').next().unwrap_or_default().replace('_', "-");
    Tr::new(if tag.starts_with("zh") {
        Lang::from_accept_language(&tag)
    } else {
        Lang::from_accept_language("en")
    })
}

pub async fn run(command: PolicyCommand, config: &Config) -> Result<ExitCode, String> {
    match command {
        PolicyCommand::Check { file } => {
            let source = std::fs::read_to_string(&file)
                .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
            let t = operator_language();
            match domain::policy::parse(&source) {
                Ok(policy) => {
                    println!(
                        "{}: {} {} — {} obligations, OK",
                        file.display(),
                        policy.name.get(t.code()),
                        policy.version,
                        policy.obligations.len()
                    );
                    Ok(ExitCode::SUCCESS)
                }
                Err(errors) => {
                    for e in &errors {
                        let args: Vec<(&str, &str)> =
                            e.args.iter().map(|(k, v)| (*k, v.as_str())).collect();
                        eprintln!("{}:{}: {}", file.display(), e.line, t.f(e.key, &args));
                    }
                    Ok(ExitCode::from(1))
                }
            }
        }
        PolicyCommand::Show => {
            let app = crate::commands::open(config).await?;
            let system = Scope::system("cli");
            let units = app::directory::units(&app, &system)
                .await
                .map_err(|e| e.to_string())?;
            let root: Option<&OrgUnit> = units.iter().find(|u| u.parent_id.is_none());
            let today = app.today();
            let (from, source) = match root {
                Some(root) => {
                    let versions = app::policy::versions(&app, &system, root)
                        .await
                        .map_err(|e| e.to_string())?;
                    let current = versions
                        .into_iter()
                        .rev()
                        .find(|v| v.effective_from <= today)
                        .ok_or("no policy version")?;
                    (
                        current.stored.map(|_| current.effective_from),
                        current.source,
                    )
                }
                None => (None, domain::policy::DEFAULT_SOURCE.to_owned()),
            };
            match from {
                Some(d) => eprintln!("# in force since {}", format_date(d)),
                None => eprintln!("# the shipped default"),
            }
            print!("{source}");
            Ok(ExitCode::SUCCESS)
        }
    }
}
