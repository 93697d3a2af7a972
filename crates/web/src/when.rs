//! Instants as a person reads them: written the way their language writes a date and a time
//! (「2026年12月2日 13:40」, "2 Dec 2026, 13:40"), never as RFC 3339. The instant comes
//! already on the county's clocks (`App::local`).

use crate::i18n::{Lang, Tr};
use time::OffsetDateTime;
use time::macros::format_description;

/// `local` (an instant on the county's clocks) formatted for `t`'s language.
pub fn local_time(t: Tr, local: OffsetDateTime) -> String {
    let formatted = match t.lang {
        Lang::En => local.format(format_description!(
            "[day padding:none] [month repr:short] [year], [hour]:[minute]"
        )),
        Lang::ZhTw | Lang::ZhCn => local.format(format_description!(
            "[year]年[month padding:none]月[day padding:none]日 [hour]:[minute]"
        )),
    };
    formatted.unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn an_instant_reads_as_each_language_writes_it() {
        let at = datetime!(2026-12-02 05:40:13.617031 +8);
        assert_eq!(local_time(Tr::new(Lang::ZhTw), at), "2026年12月2日 05:40");
        assert_eq!(local_time(Tr::new(Lang::ZhCn), at), "2026年12月2日 05:40");
        assert_eq!(local_time(Tr::new(Lang::En), at), "2 Dec 2026, 05:40");
    }
}
