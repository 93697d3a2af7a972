//! Xiao'an languages: Traditional Chinese (default, the seed's script), Simplified Chinese
//! and English. Every user-facing string is a key looked up in `locales/<lang>.toml`; the web
//! pages and the reminders app sends both translate through this crate.

use std::collections::HashMap;
use std::sync::OnceLock;

/// A supported language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    ZhTw,
    ZhCn,
    En,
}

impl Lang {
    pub const ALL: [Lang; 3] = [Lang::ZhTw, Lang::ZhCn, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::ZhTw => "zh-TW",
            Lang::ZhCn => "zh-CN",
            Lang::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|l| l.code().eq_ignore_ascii_case(code))
    }

    /// The language's own name, shown in the language switcher.
    pub fn native_name(self) -> &'static str {
        match self {
            Lang::ZhTw => "繁體中文",
            Lang::ZhCn => "简体中文",
            Lang::En => "English",
        }
    }

    /// The best match for an `Accept-Language` header, Traditional Chinese when none fits.
    pub fn from_accept_language(header: &str) -> Lang {
        for part in header.split(',') {
            let tag = part
                .split(';')
                .next()
                .unwrap_or("")
                .trim()
                .to_ascii_lowercase();
            let lang = match tag.as_str() {
                t if t.starts_with("zh-tw")
                    || t.starts_with("zh-hk")
                    || t.starts_with("zh-mo")
                    || t.starts_with("zh-hant") =>
                {
                    Some(Lang::ZhTw)
                }
                t if t.starts_with("zh-cn")
                    || t.starts_with("zh-sg")
                    || t.starts_with("zh-hans") =>
                {
                    Some(Lang::ZhCn)
                }
                "zh" => Some(Lang::ZhTw),
                t if t.starts_with("en") => Some(Lang::En),
                _ => None,
            };
            if let Some(lang) = lang {
                return lang;
            }
        }
        Lang::ZhTw
    }

    fn source(self) -> &'static str {
        match self {
            Lang::ZhTw => include_str!("../locales/zh-TW.toml"),
            Lang::ZhCn => include_str!("../locales/zh-CN.toml"),
            Lang::En => include_str!("../locales/en.toml"),
        }
    }

    fn index(self) -> usize {
        match self {
            Lang::ZhTw => 0,
            Lang::ZhCn => 1,
            Lang::En => 2,
        }
    }
}

type Catalog = HashMap<String, &'static str>;

fn flatten(prefix: &str, table: &toml::Table, into: &mut Catalog) {
    for (key, value) in table {
        let full = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::String(s) => {
                into.insert(full, Box::leak(s.clone().into_boxed_str()));
            }
            toml::Value::Table(t) => flatten(&full, t, into),
            _ => {}
        }
    }
}

/// The parsed catalogs; a broken catalog is a build mistake, caught by the tests.
pub fn catalogs() -> &'static [Catalog; 3] {
    static CATALOGS: OnceLock<[Catalog; 3]> = OnceLock::new();
    CATALOGS.get_or_init(|| {
        Lang::ALL.map(|lang| {
            let table: toml::Table = lang
                .source()
                .parse()
                .unwrap_or_else(|e| panic!("locales/{}.toml does not parse: {e}", lang.code()));
            let mut catalog = Catalog::new();
            flatten("", &table, &mut catalog);
            catalog
        })
    })
}

/// A translator for one language, handed to every template.
#[derive(Debug, Clone, Copy, Default)]
pub struct Tr {
    pub lang: Lang,
}

impl Tr {
    pub fn new(lang: Lang) -> Self {
        Self { lang }
    }

    /// The text for `key`; falls back to Traditional Chinese, then to the key itself.
    pub fn s(&self, key: &str) -> &'static str {
        let catalogs = catalogs();
        if let Some(text) = catalogs[self.lang.index()]
            .get(key)
            .or_else(|| catalogs[0].get(key))
        {
            return text;
        }
        tracing::warn!(key, "missing i18n key");
        Box::leak(key.to_owned().into_boxed_str())
    }

    /// The name of a stored code under `prefix` (an audit action, say), or the code itself
    /// when the catalog has none: codes written by a newer version still show.
    pub fn term(&self, prefix: &str, code: &str) -> String {
        let key = format!("{prefix}.{code}");
        let catalogs = catalogs();
        catalogs[self.lang.index()]
            .get(&key)
            .or_else(|| catalogs[0].get(&key))
            .map_or_else(|| code.to_owned(), |text| (*text).to_owned())
    }

    /// The text for `key` with `{name}` placeholders filled.
    pub fn f(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.s(key).to_owned();
        for (name, value) in args {
            text = text.replace(&format!("{{{name}}}"), value);
        }
        text
    }

    pub fn code(&self) -> &'static str {
        self.lang.code()
    }

    /// A list in the reader's language: 「甲、乙」 in Chinese, "a, b" in English.
    pub fn join<'a>(&self, items: impl IntoIterator<Item = &'a str>) -> String {
        let separator = match self.lang {
            Lang::En => ", ",
            _ => "、",
        };
        items.into_iter().collect::<Vec<_>>().join(separator)
    }
}

/// The role named by a cell: its code, or its name in any language (roster import).
pub fn role_named(text: &str) -> Option<domain::role::Role> {
    let text = text.trim();
    domain::role::Role::parse(text).or_else(|| {
        domain::role::Role::ALL.into_iter().find(|role| {
            let key = role.label_key();
            Lang::ALL.iter().any(|lang| {
                catalogs()[lang.index()]
                    .get(&key)
                    .is_some_and(|l| l.eq_ignore_ascii_case(text))
            })
        })
    })
}
